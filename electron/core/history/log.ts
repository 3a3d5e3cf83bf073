// The history log (G14, ARCHITECTURE §8): append-only, framed, chained, encrypted at rest, synced before success.
//
// Choices worth knowing:
// - append() resolves only after the bytes are durable: the append handle is opened O_DSYNC where the OS has it
//   (each write returns once data and size are on disk, as fdatasync would), else write + fdatasync. An
//   acknowledged record survives a crash (G14, §9).
// - open() checks the whole chain, or, when the log keeps a sealed checkpoint (seal.ts), every frame after the
//   point the last full check reached; the whole chain is then checked again in the background (fullCheck()) and
//   on demand (verify()), and a record from before the seal is authenticated again when it is shown. A torn last
//   frame (an append interrupted before it was acknowledged) is cut off and reported in `openReport.torn_tail_dropped`. Any other damage is reported by position in
//   `integrity().broken` and the log turns read-only: records that still authenticate stay readable, but
//   append() fails with HISTORY_BROKEN, because extending a chain from a point nobody can vouch for would make
//   the damage look like history. The person then chooses: keepValidPrefix() (the damaged file is kept beside the
//   log as evidence, the log continues from the last good record) or deleteAll().
// - Retention (prune) drops only a prefix of records older than the retention period (default and minimum two
//   years) by both their event time and their recording time. The rewritten log starts with a checkpoint
//   carrying the pruned count and the chain hash of the last pruned record, so every remaining record keeps its
//   number and hash, and chain heads printed in older receipts stay valid. Only deleteAll() drops younger records.
// Split by concern: log-options (what open takes and reports), log-file (the file: read at open, append, replace),
// log-state (reckonings over the chain state), log-mark (the high-water mark at open), log-view (the read side).
import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  HistoryEntrySchema,
  type HistoryEntryInput,
  type HistoryIntegrity,
  type HistoryRecord,
} from '../../contract/history.ts';
import type { MarkFile } from '../integrity/mark.ts';
import { markOf } from './rollback.ts';
import { AppFailure } from '../../contract/errors.ts';
import { systemClock, type Clock } from '../ports.ts';
import { ensurePrivateDir } from '../vault/fsio.ts';
import { canonicalJson, entryHash } from './chain.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';
import { TYPE_RECORD, deriveLogKeys, encodeFrame, type Checkpoint, type LogKeys } from './format.ts';
import { defaultFrameWorkerUrl, readAndCheck, readChain, type ChainState } from './chain-reader.ts';
import { encodeImage, loadLog, openForAppend, replaceFile, writeFrameAt } from './log-file.ts';
import { reconcileMark } from './log-mark.ts';
import { LOG_FILE, MIN_RETENTION_YEARS, checkKey, checkRetention, type HistoryLogOptions, type OpenReport } from './log-options.ts';
import { compareFresh, exportExpect, positionOf, recordAppended, retentionCut, sealOf } from './log-state.ts';
import { HistoryView } from './log-view.ts';
import { SEAL_FILE, sealKey, writeSeal } from './seal.ts';

export { PARALLEL_MIN_BYTES } from './chain-reader.ts';
export { LOG_FILE, MIN_RETENTION_YEARS, type HistoryLogOptions, type OpenReport } from './log-options.ts';

export class HistoryLog extends HistoryView {
  readonly path: string;
  private readonly keys: LogKeys;
  private readonly clock: Clock;
  private retentionYears: number;
  private readonly workerUrl: URL | null;
  private handle: FileHandle | null;
  /** Appends and rewrites run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private mark: MarkFile | null = null;
  /** Where the sealed checkpoint is kept and its key; null when the log keeps none. */
  private readonly sealAt: { path: string; key: Buffer } | null;
  private fullCheckRun: Promise<HistoryIntegrity> | null = null;
  /** The state the seal on disk describes (file and frame count), so an unchanged state is not sealed twice. */
  private sealedAs: { fileId: Buffer; frames: number } | null = null;

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
    super(state, report);
    this.path = path;
    this.sealAt = sealAt;
    this.workerUrl = workerUrl;
    this.keys = keys;
    this.clock = clock;
    this.retentionYears = retentionYears;
    this.handle = handle;
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
    const sealAt = options.seal === true ? { path: join(options.dir, SEAL_FILE), key: sealKey(options.key) } : null;
    const { state, created, use: sealUse } = await loadLog(path, keys, workerUrl, sealAt);
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

  /** Compares the log with its high-water mark and keeps what is found as reports (log-mark.ts). */
  private async checkMark(options: { path: string; key: Uint8Array } | null): Promise<void> {
    const { mark, reports } = await reconcileMark(options, this.state, this.position(), this.clock.now());
    this.mark = mark;
    this.reports = reports;
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

  /**
   * What a streamed export (export-file.ts) needs to read the log file on its own thread: the file, the keys, and
   * what the file must show (the state now; appends queued after this call are not in the export).
   */
  exportPlan(): { logPath: string; keys: LogKeys; expect: { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string } } {
    this.requireOpen();
    if (this.state.broken) throw historyFailure(HistoryErrorCode.BROKEN, `position ${this.state.broken.position}`);
    return { logPath: this.path, keys: this.keys, expect: exportExpect(this.state) };
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
    // A background full check that began before later appends were sealed must not put an earlier seal back.
    if (this.sealedAs?.fileId.equals(state.fileId) === true && this.sealedAs.frames >= state.frameCount) return;
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

  /** Breaks the log at the first difference between a fresh full read and what this process holds (log-state.ts). */
  private compareFresh(fresh: ChainState | null, records: number): void {
    compareFresh(this.state, fresh, records);
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
      await writeFrameAt(handle, frame, at);
      recordAppended(this.state, record, entryHash(prev, canonical), at, frame.length, frameHash);
      // After the record is durable, never before: a mark ahead of its log would read as a rollback. A mark
      // behind (a crash between the two writes, or this write failing) is accepted at open and moved forward,
      // so the record is acknowledged without waiting for the mark's own synced write. The mark's queue keeps
      // the order of these writes and of replace()'s; close() waits for it.
      void this.mark?.set(markOf(this.position())).catch(() => undefined);
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
      const now = this.clock.now();
      const cutoff = new Date(now.getTime());
      cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.retentionYears);
      const cut = retentionCut(this.state, cutoff.getTime(), now);
      if (!cut) return { pruned: 0 };
      await this.rewrite(cut.checkpoint, this.guard(() => this.state.records.all(cut.count)), this.state.hashes.slice(cut.count));
      return { pruned: cut.count };
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
    const bytes = encodeImage(this.keys, checkpoint, records, hashes);
    const next = readChain(bytes, this.keys);
    // The marks appends queued without waiting land first, so the announcement starts from the latest one.
    await this.mark?.settled();
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
    const previousState = this.state;
    this.state = next;
    await previousState.sealedFile?.close();
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
    await this.state.sealedFile?.close();
    await this.mark?.close();
  }

  /** Removes the log file entirely (used when the vault itself is destroyed). */
  static async destroy(dir: string): Promise<void> {
    await rm(join(dir, LOG_FILE), { force: true });
    await rm(join(dir, SEAL_FILE), { force: true });
  }
}
