// The history log (G14, ARCHITECTURE §8): append-only, framed, chained, encrypted at rest, synced before success.
//
// Choices worth knowing:
// - append() resolves only after the bytes are durable: the append handle is opened O_DSYNC where the OS has it
//   (each write returns once data and size are on disk, as fdatasync would), else write + fdatasync. An
//   acknowledged record survives a crash (G14, §9).
// - open() checks the whole chain, or, when the log keeps a sealed checkpoint (seal.ts), every frame after the
//   point the last full check reached; the whole chain is then checked again in the background (fullCheck()) and
//   on demand (verify()), and a record from before the seal is authenticated again when it is shown. A torn last frame (an append interrupted before it was acknowledged) is cut
//   off and reported in `openReport.torn_tail_dropped`. Any other damage is reported by position in
//   `integrity().broken` and the log turns read-only: records that still authenticate stay readable, but
//   append() fails with HISTORY_BROKEN, because extending a chain from a point nobody can vouch for would make
//   the damage look like history. The person then chooses: keepValidPrefix() (the damaged file is kept beside the
//   log as evidence, the log continues from the last good record) or deleteAll().
// - Retention (prune) drops only a prefix of records older than the retention period (default and minimum two
//   years) by both their event time and their recording time. The rewritten log starts with a checkpoint
//   carrying the pruned count and the chain hash of the last pruned record, so every remaining record keeps its
//   number and hash, and chain heads printed in older receipts stay valid. Only deleteAll() drops younger records.
import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { open, copyFile, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  HistoryEntrySchema,
  HistoryReportSchema,
  type HistoryEntryInput,
  type HistoryIntegrity,
  type HistoryQuery,
  type HistoryRecord,
  type HistoryReport,
  type RecipientSummary,
} from '../../contract/history.ts';
import { MarkFile, sameState } from '../integrity/mark.ts';
import { compareWithMark, markOf, type LogPosition } from './rollback.ts';
import { AppFailure } from '../../contract/errors.ts';
import { systemClock, type Clock } from '../ports.ts';
import { ensurePrivateDir, nodeVaultFs, writeFileAtomic } from '../vault/fsio.ts';
import { GENESIS, canonicalJson, entryHash } from './chain.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';
import { HEADER_SIZE, TYPE_CHECKPOINT, TYPE_RECORD, deriveLogKeys, encodeFrame, encodeHeader, type Checkpoint, type LogKeys } from './format.ts';
import {
  checkedHeader,
  defaultFrameWorkerUrl,
  readAndCheck,
  readChain,
  readChainFromSeal,
  type BrokenAt,
  type ChainState,
} from './chain-reader.ts';
import type { HistoryIndex } from './query.ts';
import { SealedRecordDamaged, type RecordRow } from './records.ts';
import { SEAL_FILE, readSeal, sealKey, writeSeal, type Seal } from './seal.ts';

export { PARALLEL_MIN_BYTES,  type BrokenAt } from './chain-reader.ts';

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

/** A rewritten log's position (before it replaces the state): only its file id, length and head are needed. */
function positionOf(state: ChainState): LogPosition {
  const pruned = state.checkpoint?.pruned_count ?? 0;
  const last = state.records.last();
  return {
    fileId: state.fileId,
    length: last ? last.seq + 1 : pruned,
    head: state.hashes.at(-1) ?? state.checkpoint?.head ?? GENESIS,
    headAt: () => null,
  };
}

/** Reports as kept in the mark; anything that does not parse (a newer version's kind) is kept out of the screen. */
function parseReports(values: readonly unknown[]): HistoryReport[] {
  const out: HistoryReport[] = [];
  for (const v of values) {
    const parsed = HistoryReportSchema.safeParse(v);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw historyFailure(HistoryErrorCode.BAD_KEY);
}

function checkRetention(years: number): void {
  if (!Number.isInteger(years) || years < MIN_RETENTION_YEARS) throw historyFailure(HistoryErrorCode.RETENTION_TOO_SHORT);
}

/** O_DSYNC: one durable write instead of a write and an fdatasync (two thread-pool round trips). Not on Windows. */
const DSYNC = (fsConstants as { O_DSYNC?: number }).O_DSYNC;

function openForAppend(path: string): Promise<FileHandle> {
  return open(path, DSYNC === undefined ? 'r+' : fsConstants.O_RDWR | DSYNC);
}

/** The seal describing a fully checked, unbroken state. */
function sealOf(state: ChainState): Seal {
  return {
    fileId: state.fileId,
    frames: state.frameCount,
    end: state.end,
    lastFrameHash: state.lastHash,
    checkpoint: state.checkpoint,
    rows: [...state.records.allRows()],
    hashes: [...state.hashes],
    offsets: [...state.records.offsets],
  };
}

/**
 * Reads the log from its seal when one authenticates and describes this file; else checks the whole chain.
 * ENOENT is passed on to the caller.
 */
async function readWithSeal(path: string, sealPath: string, sealKeyBytes: Buffer, keys: LogKeys, workerUrl: URL | null): Promise<{ state: ChainState; use: SealUse }> {
  const found = await readSeal(sealPath, sealKeyBytes);
  if ('problem' in found) {
    return { state: await readAndCheck(path, keys, workerUrl), use: found.problem === 'missing' ? 'none' : 'refused-forged' };
  }
  const bytes = await readFile(path);
  const fileId = checkedHeader(bytes, keys);
  const state = readChainFromSeal(bytes, keys, fileId, found.seal);
  if (state) return { state, use: 'used' };
  return { state: await readAndCheck(path, keys, workerUrl), use: 'refused-stale' };
}

/** Writes a whole new log image beside the old one (an exclusive, unpredictable temp name), syncs it, and renames it into place. */
async function replaceFile(path: string, bytes: Buffer): Promise<void> {
  await writeFileAtomic(nodeVaultFs, path, bytes);
}

export class HistoryLog {
  readonly path: string;
  readonly openReport: OpenReport;
  private readonly keys: LogKeys;
  private readonly clock: Clock;
  private retentionYears: number;
  private readonly workerUrl: URL | null;
  private handle: FileHandle | null;
  private state: ChainState;
  private index: HistoryIndex;
  /** Appends and rewrites run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private mark: MarkFile | null = null;
  /** Where the sealed checkpoint is kept and its key; null when the log keeps none. */
  private readonly sealAt: { path: string; key: Buffer } | null;
  private fullCheckRun: Promise<HistoryIntegrity> | null = null;
  /** The state the seal on disk describes (file and frame count), so an unchanged state is not sealed twice. */
  private sealedAs: { fileId: Buffer; frames: number } | null = null;
  /** Unacknowledged reports (persisted in the mark when there is one). */
  private reports: HistoryReport[] = [];

  private constructor(
    path: string,
    keys: LogKeys,
    clock: Clock,
    retentionYears: number,
    workerUrl: URL | null,
    handle: FileHandle,
    state: ChainState,
    report: OpenReport,
    sealAt: { path: string; key: Buffer } | null,
  ) {
    this.path = path;
    this.sealAt = sealAt;
    this.workerUrl = workerUrl;
    this.keys = keys;
    this.clock = clock;
    this.retentionYears = retentionYears;
    this.handle = handle;
    this.state = state;
    this.openReport = report;
    this.index = state.index;
  }

  /** Opens (or creates) the log and checks the whole chain; see the module comment for what happens to damage. */
  static async open(options: HistoryLogOptions): Promise<HistoryLog> {
    checkKey(options.key);
    const retention = options.retentionYears ?? MIN_RETENTION_YEARS;
    checkRetention(retention);
    const keys = deriveLogKeys(options.key);
    await ensurePrivateDir(options.dir);
    const path = join(options.dir, LOG_FILE);
    const workerUrl = options.frameWorker === undefined ? defaultFrameWorkerUrl() : options.frameWorker;
    let state: ChainState;
    let created = false;
    const sealAt = options.seal === true ? { path: join(options.dir, SEAL_FILE), key: sealKey(options.key) } : null;
    let sealUse: SealUse = sealAt ? 'none' : 'off';
    try {
      if (sealAt) ({ state, use: sealUse } = await readWithSeal(path, sealAt.path, sealAt.key, keys, workerUrl));
      else state = await readAndCheck(path, keys, workerUrl);
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw historyFailure(HistoryErrorCode.WRITE_FAILED, 'read', error);
      const bytes = encodeHeader(keys);
      await replaceFile(path, bytes);
      created = true;
      state = readChain(bytes, keys);
    }
    if (state.torn) {
      // Only an unacknowledged append can leave a partial last frame: cut it off, durably, and say so.
      const h = await open(path, 'r+');
      try {
        await h.truncate(state.end);
        await h.sync();
      } finally {
        await h.close();
      }
    }
    const handle = await openForAppend(path);
    const log = new HistoryLog(path, keys, options.clock ?? systemClock, retention, workerUrl, handle, state, {
      created,
      torn_tail_dropped: state.torn,
      broken: state.broken,
      parallel: state.inWorker,
      seal: sealUse,
    }, sealAt);
    try {
      await log.checkMark(options.mark ?? null);
    } catch (error) {
      await log.close();
      throw error instanceof AppFailure ? error : historyFailure(HistoryErrorCode.WRITE_FAILED, 'mark', error);
    }
    // Opened from a seal: the whole chain is checked again now, off the opening path. Checked in full and whole:
    // seal it, so the next open checks only what comes after.
    if (sealUse === 'used') {
      log.sealedAs = { fileId: state.fileId, frames: state.sealedFrames };
      void log.fullCheck();
    } else if (sealAt && !state.broken) {
      // Awaited: open returns with the profile's files settled, never with a seal half-written behind it.
      await log.serial(() => log.writeSealOf(log.state));
    }
    return log;
  }

  /** Where the log stands: for the high-water mark, and to check receipts against (receipt-check.ts). */
  position(): LogPosition {
    const pruned = this.state.checkpoint?.pruned_count ?? 0;
    return {
      fileId: this.state.fileId,
      length: this.nextSeq(),
      head: this.head(),
      headAt: (n) => {
        if (n === 0) return GENESIS;
        if (n === pruned) return this.state.checkpoint?.head ?? GENESIS;
        if (n < pruned) return null;
        return this.state.hashes[n - pruned - 1] ?? null;
      },
    };
  }

  /**
   * Compares the log with its mark, keeps what is found as reports until acknowledged (a torn tail too), and
   * moves the mark to the log: the reports hold the evidence, and new records must extend the mark again.
   */
  private async checkMark(options: { path: string; key: Uint8Array } | null): Promise<void> {
    const now = this.clock.now();
    const found: HistoryReport[] = [];
    const torn = this.state.torn;
    const tornReport = (): HistoryReport | null =>
      torn
        ? { id: randomUUID(), kind: 'torn-tail', detected_at: now.toISOString(), expected: null, found: { count: this.nextSeq(), head: this.head() }, missing: 0, torn }
        : null;
    if (!options) {
      const t = tornReport();
      if (t) this.reports = [t];
      return;
    }
    const { mark, problem } = await MarkFile.open(options.path, options.key, 'history');
    this.mark = mark;
    this.reports = parseReports(mark.reports);
    const position = this.position();
    const report = compareWithMark(position, mark, problem, now);
    if (report) found.push(report);
    const t = tornReport();
    if (t) found.push(t);
    // A broken log keeps its mark until the person decides (keepValidPrefix or deleteAll move it).
    const next = this.state.broken ? (mark.current ?? markOf(position)) : markOf(position);
    if (found.length > 0) this.reports = [...this.reports, ...found];
    // A mark that cannot be written now (a full disk) leaves the reports in memory for this run: the mark has not
    // moved, so the next open finds the same again.
    try {
      if (found.length > 0 || problem !== null) await mark.setReports(this.reports, next);
      else if (!this.state.broken && (mark.current === null || mark.pending !== null || !sameState(mark.current, next))) await mark.set(next);
    } catch {
      // Kept in memory, see above.
    }
  }

  /** Removes acknowledged reports (one by id, or all when no id is given); they stay removed across restarts. */
  acknowledge(id?: string): Promise<HistoryIntegrity> {
    return this.serial(async () => {
      this.requireOpen();
      const rest = id === undefined ? [] : this.reports.filter((r) => r.id !== id);
      if (rest.length !== this.reports.length) {
        if (this.mark) await this.mark.setReports(rest);
        this.reports = rest;
      }
      return this.integrity();
    });
  }

  /** SHA-256 chain head: the hash of the last record, or of the checkpoint's pruned prefix, or GENESIS. */
  head(): string {
    return this.state.hashes.at(-1) ?? this.state.checkpoint?.head ?? GENESIS;
  }

  /** Chain position the next record will take. */
  private nextSeq(): number {
    const last = this.state.records.last();
    return last ? last.seq + 1 : (this.state.checkpoint?.pruned_count ?? 0);
  }

  get count(): number {
    return this.state.records.length;
  }

  /** Chain length: records pruned by retention plus those held (the next record's seq). Receipts carry it. */
  get length(): number {
    return this.nextSeq();
  }

  get checkpoint(): Checkpoint | null {
    return this.state.checkpoint;
  }

  get broken(): BrokenAt | null {
    return this.state.broken;
  }

  integrity(): HistoryIntegrity {
    const b = this.state.broken;
    return {
      head: this.head(),
      count: this.state.records.length,
      pruned_count: this.state.checkpoint?.pruned_count ?? 0,
      broken: b ? { position: b.position, reason: b.reason } : null,
      torn_tail_dropped: this.openReport.torn_tail_dropped,
      reports: this.reports.map((r) => structuredClone(r)),
    };
  }

  /**
   * What a streamed export (export-file.ts) needs to read the log file on its own thread: the file, the keys, and
   * what the file must show (the state now; appends queued after this call are not in the export).
   */
  exportPlan(): { logPath: string; keys: LogKeys; expect: { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string } } {
    this.requireOpen();
    if (this.state.broken) throw historyFailure(HistoryErrorCode.BROKEN, `position ${this.state.broken.position}`);
    const pruned = this.state.checkpoint?.pruned_count ?? 0;
    return {
      logPath: this.path,
      keys: this.keys,
      expect: {
        head: this.head(),
        records: this.state.records.length,
        firstSeq: this.state.records.row(0)?.seq ?? pruned,
        prunedCount: pruned,
        anchor: this.state.checkpoint?.head ?? GENESIS,
      },
    };
  }

  /** Records oldest first (chain order), with their chain hashes. Sealed records are authenticated as they are read. */
  records(): readonly HistoryRecord[] {
    return this.guard(() => this.state.records.all());
  }

  /** What the screen's filters and charts need of every record, without reading sealed records in full. */
  rows(): readonly RecordRow[] {
    return this.state.records.allRows();
  }

  /**
   * A sealed record that no longer authenticates (the file was changed behind the seal): the log turns broken
   * there, as a full check would find, and the read fails with HISTORY_BROKEN.
   */
  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof SealedRecordDamaged)) throw error;
      const row = this.state.records.row(error.position);
      if (!this.state.broken) {
        const frame = error.position + (this.state.checkpoint ? 1 : 0);
        this.state.broken = { position: row?.seq ?? error.position, frame, offset: error.offset, reason: 'decrypt' };
        this.state.validCount = Math.min(this.state.validCount, error.position);
      }
      throw historyFailure(HistoryErrorCode.BROKEN, `position ${String(row?.seq ?? error.position)}`);
    }
  }

  hashes(): readonly string[] {
    return this.state.hashes;
  }

  query(q?: HistoryQuery): { total: number; records: HistoryRecord[] } {
    return this.guard(() => this.index.query(q));
  }

  recipients(): RecipientSummary[] {
    return this.guard(() => this.index.recipients());
  }

  getRetentionYears(): number {
    return this.retentionYears;
  }

  setRetentionYears(years: number): void {
    checkRetention(years);
    this.retentionYears = years;
  }

  /** Writes the seal for a state that was checked in full and is unbroken (not for one opened from a seal). */
  private async writeSealOf(state: ChainState): Promise<void> {
    if (!this.sealAt || state.broken || state.torn || state.sealedFrames > 0) return;
    if (this.sealedAs?.fileId.equals(state.fileId) === true && this.sealedAs.frames === state.frameCount) return;
    // A seal that cannot be written (a full disk) costs only speed: the next open checks more.
    await writeSeal(this.sealAt.path, this.sealAt.key, sealOf(state)).then(
      () => { this.sealedAs = { fileId: state.fileId, frames: state.frameCount }; },
      () => undefined,
    );
  }

  /**
   * Checks the whole chain again, from the file, up to where it stood when the check began (appends go on
   * meanwhile). Damage anywhere, before the seal too, turns the log broken as verify() does; a clean check is
   * sealed. Runs once at a time; the same promise is returned while it runs.
   */
  fullCheck(): Promise<HistoryIntegrity> {
    if (this.fullCheckRun) return this.fullCheckRun;
    const run = (async () => {
      const at = { fileId: this.state.fileId, end: this.state.end, records: this.state.records.length };
      let fresh: ChainState | null;
      try {
        fresh = await readAndCheck(this.path, this.keys, this.workerUrl, at.end);
      } catch (error) {
        if (!(error instanceof AppFailure)) throw error;
        fresh = null;
      }
      return this.serial(async () => {
        this.requireOpen();
        // Rewritten meanwhile (pruning, keep-valid, delete-all): the new file was checked as it was written.
        if (!this.state.fileId.equals(at.fileId)) return this.integrity();
        this.compareFresh(fresh, at.records);
        if (fresh && !this.state.broken && fresh.sealedFrames === 0) await this.writeSealOf(fresh);
        return this.integrity();
      });
    })();
    this.fullCheckRun = run;
    void run.finally(() => {
      if (this.fullCheckRun === run) this.fullCheckRun = null;
    }).catch(() => undefined);
    return run;
  }

  /**
   * Compares a fresh full read of the file's first `records` records with what this process holds, and turns the
   * log broken at the first difference (null: the file no longer reads as a log).
   */
  private compareFresh(fresh: ChainState | null, records: number): void {
    if (fresh === null) {
      if (!this.state.broken) {
        this.state.broken = { position: 0, frame: 0, offset: 0, reason: 'framing' };
        this.state.validCount = 0;
      }
      return;
    }
    const held = this.state.hashes.slice(0, records);
    const pruned = this.state.checkpoint?.pruned_count ?? 0;
    let broken = fresh.broken;
    if (!broken && fresh.torn) broken = { position: pruned + records, frame: fresh.frameCount, offset: fresh.end, reason: 'framing' };
    if (!broken && fresh.hashes.length !== held.length) {
      const pos = Math.min(fresh.hashes.length, held.length);
      broken = { position: pruned + pos, frame: pos, offset: fresh.end, reason: 'chain' };
    }
    if (!broken && fresh.hashes.at(-1) !== held.at(-1)) {
      broken = { position: pruned, frame: 0, offset: HEADER_SIZE, reason: 'chain' };
    }
    if (broken && !this.state.broken) {
      this.state.broken = broken;
      // The valid prefix: records the file still holds unchanged, before its first damage.
      const limit = Math.min(fresh.validCount, fresh.hashes.length, held.length);
      let same = 0;
      while (same < limit && fresh.hashes[same] === held[same]) same++;
      this.state.validCount = same;
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requireOpen(): FileHandle {
    if (!this.handle) throw historyFailure(HistoryErrorCode.CLOSED);
    return this.handle;
  }

  /** Appends one record; resolves after the bytes are on disk (fdatasync), never before (G14). */
  append(input: HistoryEntryInput): Promise<HistoryRecord> {
    const parsed = HistoryEntrySchema.safeParse(input);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      return Promise.reject(historyFailure(HistoryErrorCode.INVALID_ENTRY, where));
    }
    return this.serial(async () => {
      const handle = this.requireOpen();
      if (this.state.broken) throw historyFailure(HistoryErrorCode.BROKEN, `position ${this.state.broken.position}`);
      const made: HistoryRecord = { ...parsed.data, seq: this.nextSeq(), id: randomUUID(), recorded_at: this.clock.now().toISOString() };
      const prev = this.head();
      const canonical = canonicalJson(made);
      // Kept as parsed from its canonical text, like records read at open: key order is then canonical, which
      // lets the export serialise with JSON.stringify (export.ts checks each one against its hash).
      const record = JSON.parse(canonical) as HistoryRecord;
      const plaintext = Buffer.from(`${prev}\n${canonical}`, 'utf8');
      const { frame, hash: frameHash } = encodeFrame(this.keys, this.state.fileId, this.state.lastHash, this.state.frameCount, TYPE_RECORD, plaintext);
      const at = this.state.end;
      try {
        // A disk filling up mid-write makes write() return short (the next call fails with ENOSPC): loop, or a
        // record whose frame is only partly on disk would be acknowledged.
        let done = 0;
        while (done < frame.length) {
          const { bytesWritten } = await handle.write(frame, done, frame.length - done, at + done);
          done += bytesWritten;
        }
        if (!DSYNC) await handle.datasync();
      } catch (error) {
        // Leave no half frame behind: the next append writes at the same offset anyway, and open would cut it.
        await handle.truncate(at).catch(() => undefined);
        const code = (error as NodeJS.ErrnoException | null)?.code;
        throw historyFailure(code === 'ENOSPC' || code === 'EDQUOT' ? HistoryErrorCode.DISK_FULL : HistoryErrorCode.WRITE_FAILED, undefined, error);
      }
      this.state.records.push(record, at);
      // Appends happen only on an unbroken chain, so every record held so far verifies (keepValidPrefix relies on it).
      this.state.validCount = this.state.records.length;
      this.state.hashes.push(entryHash(prev, canonical));
      this.state.lastHash = frameHash;
      this.state.frameCount++;
      this.state.end = at + frame.length;
      this.index.add(record);
      // After the record is durable, never before: a mark ahead of its log would read as a rollback. A mark
      // behind (a crash between the two writes, or this write failing) is accepted at open and moved forward.
      await this.mark?.set(markOf(this.position())).catch(() => undefined);
      return record;
    });
  }

  /** Re-reads the file and checks the whole chain against what this process holds (on demand, §8); a clean check is sealed. */
  verify(): Promise<HistoryIntegrity> {
    return this.serial(async () => {
      this.requireOpen();
      let fresh: ChainState | null;
      try {
        fresh = await readAndCheck(this.path, this.keys, this.workerUrl);
      } catch (error) {
        if (!(error instanceof AppFailure)) throw error;
        fresh = null;
      }
      this.compareFresh(fresh, this.state.hashes.length);
      if (fresh && !this.state.broken) await this.writeSealOf(fresh);
      return this.integrity();
    });
  }

  /**
   * Drops the prefix of records older than the retention period (both event and recording time), keeping a
   * checkpoint so the chain stays verifiable. Returns how many were dropped.
   */
  prune(): Promise<{ pruned: number }> {
    return this.serial(async () => {
      this.requireOpen();
      if (this.state.broken) throw historyFailure(HistoryErrorCode.BROKEN, `position ${this.state.broken.position}`);
      const cutoff = new Date(this.clock.now().getTime());
      cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.retentionYears);
      const limit = cutoff.getTime();
      let k = 0;
      for (const r of this.state.records.allRows()) {
        if (Date.parse(r.recorded_at) < limit && Date.parse(r.time) < limit) k++;
        else break;
      }
      if (k === 0) return { pruned: 0 };
      const lastPruned = this.state.records.row(k - 1);
      const head = this.state.hashes[k - 1];
      if (!lastPruned || !head) return { pruned: 0 };
      const checkpoint: Checkpoint = {
        pruned_count: lastPruned.seq + 1,
        head,
        pruned_until: lastPruned.recorded_at,
        created_at: this.clock.now().toISOString(),
      };
      await this.rewrite(checkpoint, this.guard(() => this.state.records.all(k)), this.state.hashes.slice(k));
      return { pruned: k };
    });
  }

  /** Drops every record (the person confirmed, knowing what is lost); the chain starts again from GENESIS. */
  deleteAll(options: { confirm: true }): Promise<void> {
    return this.serial(async () => {
      this.requireOpen();
      if ((options as { confirm?: unknown }).confirm !== true) throw historyFailure(HistoryErrorCode.NOT_CONFIRMED);
      await this.rewrite(null, [], []);
    });
  }

  /**
   * For a broken log: copies the damaged file beside it as evidence, then keeps only the records before the
   * first bad one and continues from there. Returns the evidence file and how many records were left out.
   */
  keepValidPrefix(options: { confirm: true }): Promise<{ evidence: string; dropped: number }> {
    return this.serial(async () => {
      this.requireOpen();
      if ((options as { confirm?: unknown }).confirm !== true) throw historyFailure(HistoryErrorCode.NOT_CONFIRMED);
      const b = this.state.broken;
      if (!b) return { evidence: '', dropped: 0 };
      const evidence = `${this.path}.broken-${this.clock.now().toISOString().replace(/[:.]/g, '-')}`;
      await copyFile(this.path, evidence, fsConstants.COPYFILE_EXCL);
      const n = this.state.validCount;
      const kept = this.state.records.all(0, n);
      const checkpoint = b.reason === 'checkpoint' ? null : this.state.checkpoint;
      const dropped = this.state.records.length - kept.length;
      await this.rewrite(checkpoint, kept, this.state.hashes.slice(0, n));
      return { evidence, dropped };
    });
  }

  /** Re-encrypts the given records under a fresh file id, replaces the file atomically, and reloads the state. */
  private async rewrite(checkpoint: Checkpoint | null, records: readonly HistoryRecord[], hashes: readonly string[]): Promise<void> {
    const header = encodeHeader(this.keys);
    const fileId = header.subarray(16, 32);
    const parts: Buffer[] = [header];
    let lastHash: Buffer | null = null;
    let index = 0;
    if (checkpoint) {
      const f = encodeFrame(this.keys, fileId, lastHash, index++, TYPE_CHECKPOINT, Buffer.from(canonicalJson(checkpoint), 'utf8'));
      parts.push(f.frame);
      lastHash = f.hash;
    }
    let prev = checkpoint?.head ?? GENESIS;
    for (let i = 0; i < records.length; i++) {
      const canonical = canonicalJson(records[i]);
      const h = entryHash(prev, canonical);
      if (h !== hashes[i]) throw historyFailure(HistoryErrorCode.BROKEN, `re-encoding changed record ${String(records[i]?.seq)}`);
      const f = encodeFrame(this.keys, fileId, lastHash, index++, TYPE_RECORD, Buffer.from(`${prev}\n${canonical}`, 'utf8'));
      parts.push(f.frame);
      lastHash = f.hash;
      prev = h;
    }
    const bytes = Buffer.concat(parts);
    const next = readChain(bytes, this.keys);
    const previous = this.mark?.current ?? null;
    // Announced first: after a crash either file (old or new) then matches the mark.
    if (this.mark && previous) await this.mark.set(previous, markOf(positionOf(next)));
    await this.handle?.close();
    this.handle = null;
    try {
      await replaceFile(this.path, bytes);
    } finally {
      this.handle = await openForAppend(this.path);
    }
    this.state = next;
    this.index = this.state.index;
    await this.mark?.set(markOf(this.position()));
    await this.writeSealOf(next);
  }

  async close(): Promise<void> {
    // A background full check still reading the file finishes (and seals) before the file is let go.
    await this.fullCheckRun?.catch(() => undefined);
    await this.queue;
    const h = this.handle;
    this.handle = null;
    await h?.close();
    await this.mark?.close();
  }

  /** Removes the log file entirely (used when the vault itself is destroyed). */
  static async destroy(dir: string): Promise<void> {
    await rm(join(dir, LOG_FILE), { force: true });
    await rm(join(dir, SEAL_FILE), { force: true });
  }
}
