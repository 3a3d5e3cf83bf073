// What opening a history log takes and what it reports back: the options, the open report, and their checks.
import type { Clock } from '../ports.ts';
import type { BrokenAt } from './chain-reader.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';

export const LOG_FILE = 'history.log';
export const MIN_RETENTION_YEARS = 2;

export interface HistoryLogOptions {
  /** Directory holding history.log (created if missing). */
  dir: string;
  /** 32 bytes from the vault: deriveKey('history'). */
  key: Uint8Array;
  clock?: Clock;
  /** Whole years, at least 2 (G14). */
  retentionYears?: number;
  /**
   * The frame worker used to check large logs on a second thread (defaultFrameWorkerUrl() when not given), or null
   * to check on the opening thread only. Either way every frame is checked the same way.
   */
  frameWorker?: URL | null;
  /**
   * The high-water mark kept outside the log (a file beside the history folder, `key` = vault.deriveKey('history-mark')).
   * Without it, a log restored from an older copy or cut at a record boundary cannot be told from a shorter history.
   */
  mark?: { path: string; key: Uint8Array };
  /**
   * Keep a sealed checkpoint (history.seal beside the log, seal.ts) after each full check, and open from it: open
   * then checks only what came after it, and the full check runs in the background (fullCheck()).
   */
  seal?: boolean;
}

/** What open did with the sealed checkpoint: none kept, used, or refused (and the whole chain checked instead). */
export type SealUse = 'off' | 'none' | 'used' | 'refused-forged' | 'refused-stale';

export interface OpenReport {
  created: boolean;
  torn_tail_dropped: { offset: number; bytes: number } | null;
  broken: BrokenAt | null;
  /** Frames were checked on a second thread (large logs, when the frame worker could start). */
  parallel: boolean;
  seal: SealUse;
}

export function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw historyFailure(HistoryErrorCode.BAD_KEY);
}

export function checkRetention(years: number): void {
  if (!Number.isInteger(years) || years < MIN_RETENTION_YEARS) throw historyFailure(HistoryErrorCode.RETENTION_TOO_SHORT);
}
