// The history log (G14, ARCHITECTURE §8): append-only, framed, chained, encrypted at rest, synced before success.
//
// Choices worth knowing:
// - append() resolves only after the bytes are durable: the append handle is opened O_DSYNC where the OS has it
//   (each write returns once data and size are on disk, as fdatasync would), else write + fdatasync. An
//   acknowledged record survives a crash (G14, §9).
// - open() checks the whole chain. A torn last frame (an append interrupted before it was acknowledged) is cut
//   off and reported in `openReport.torn_tail_dropped`. Any other damage is reported by position in
//   `integrity().broken` and the log turns read-only: records that still authenticate stay readable, but
//   append() fails with HISTORY_BROKEN, because extending a chain from a point nobody can vouch for would make
//   the damage look like history. The person then chooses: keepValidPrefix() (the damaged file is kept beside the
//   log as evidence, the log continues from the last good record) or deleteAll().
// - Retention (prune) drops only a prefix of records older than the retention period (default and minimum two
//   years) by both their event time and their recording time. The rewritten log starts with a checkpoint
//   carrying the pruned count and the chain hash of the last pruned record, so every remaining record keeps its
//   number and hash, and chain heads printed in older receipts stay valid. Only deleteAll() drops younger records.
import { hash, randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { open, copyFile, rm, type FileHandle } from 'node:fs/promises';
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
import {
  HEADER_SIZE,
  TYPE_CHECKPOINT,
  TYPE_RECORD,
  checkHeader,
  deriveLogKeys,
  encodeFrame,
  encodeHeader,
  scanFrames,
  type Checkpoint,
  type FrameScan,
  type LogKeys,
} from './format.ts';
import type { Worker } from 'node:worker_threads';
import { readShared, scanFramesInWorker, startFrameWorker, type CheckedFrame } from './frame-batch.ts';
import { HistoryIndex } from './query.ts';

export const LOG_FILE = 'history.log';
export const MIN_RETENTION_YEARS = 2;
/** Logs smaller than this are checked on the opening thread: a worker's start-up would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Where frame-worker.ts is: beside this module when running from source (tests, tools), and as the bundle's own
 * entry `history-frame-worker.js` beside the main bundle's chunks in the built app (electron.vite.config.ts).
 */
export function defaultFrameWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./frame-worker.ts', import.meta.url) : new URL('./history-frame-worker.js', import.meta.url);
}

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
}

export interface BrokenAt {
  /** Chain position (seq) of the first record that failed; pruned records count, as in record.seq. */
  position: number;
  /** Index of the frame in the file (0 = first frame after the header) and its byte offset. */
  frame: number;
  offset: number;
  reason: 'frame-hash' | 'decrypt' | 'chain' | 'framing' | 'checkpoint' | 'content';
}

export interface OpenReport {
  created: boolean;
  torn_tail_dropped: { offset: number; bytes: number } | null;
  broken: BrokenAt | null;
  /** Frames were checked on a second thread (large logs, when the frame worker could start). */
  parallel: boolean;
}

interface ChainState {
  fileId: Buffer;
  records: HistoryRecord[];
  hashes: string[];
  checkpoint: Checkpoint | null;
  /** Hash of the last frame; the next frame chains to it. */
  lastHash: Buffer | null;
  frameCount: number;
  /** Records (in file order) before the first damage: the part that verifies. */
  validCount: number;
  end: number;
  torn: { offset: number; bytes: number } | null;
  broken: BrokenAt | null;
  /** The screen's index over `records`, built while they were read. */
  index: HistoryIndex;
  /** The frames were authenticated and decrypted on the frame worker's thread. */
  inWorker: boolean;
}

/**
 * Checks a log's frames as they come, in order (from scanFrames on this thread or from frame-worker.ts), and
 * collects the records, their chain hashes and the first damage. Pure: no file changes.
 */
class ChainReader {
  readonly records: HistoryRecord[] = [];
  readonly hashes: string[] = [];
  readonly index = new HistoryIndex();
  checkpoint: Checkpoint | null = null;
  broken: BrokenAt | null = null;
  private prev = GENESIS;
  private seq = 0;
  private validCount = -1;

  private fail(frame: number, offset: number, reason: BrokenAt['reason']): void {
    if (this.broken) return;
    this.broken = { position: this.seq, frame, offset, reason };
    this.validCount = this.records.length;
  }

  visit(f: CheckedFrame): void {
    if (!f.hashOk) this.fail(f.index, f.offset, 'frame-hash');
    if (f.plaintext === null) {
      this.fail(f.index, f.offset, 'decrypt');
      this.seq++;
      return;
    }
    if (f.type === TYPE_CHECKPOINT) {
      const cp = parseCheckpoint(f.plaintext);
      if (f.index !== 0 || cp === null) this.fail(f.index, f.offset, 'checkpoint');
      else {
        this.checkpoint = cp;
        this.prev = cp.head;
        this.seq = cp.pruned_count;
      }
      return;
    }
    // The plaintext is exactly prev (64 hex) + "\n" + canonical JSON (format.ts).
    const plain = f.plaintext;
    let record: HistoryRecord | null = null;
    if (plain.length > 65 && plain[64] === 0x0a) {
      try {
        record = JSON.parse(plain.toString('utf8', 65)) as HistoryRecord;
      } catch {
        record = null;
      }
    }
    if (record === null || typeof record !== 'object' || typeof record.seq !== 'number') {
      this.fail(f.index, f.offset, 'content');
      this.seq++;
      return;
    }
    if (plain.toString('latin1', 0, 64) !== this.prev || record.seq !== this.seq) this.fail(f.index, f.offset, 'chain');
    // Records past a break are still shown when they authenticate: only the key holder can have written them.
    // The plaintext's SHA-256 is the entry hash (chain.ts).
    const h = f.bodyHash ?? hash('sha256', plain, 'hex');
    this.records.push(record);
    this.hashes.push(h);
    this.index.add(record);
    this.prev = h;
    this.seq = record.seq + 1;
  }

  finish(fileId: Buffer, scan: FrameScan, inWorker = false): ChainState {
    if (scan.framingLost) this.fail(scan.framingLost.index, scan.framingLost.offset, 'framing');
    return {
      fileId,
      records: this.records,
      hashes: this.hashes,
      checkpoint: this.checkpoint,
      lastHash: scan.lastHash,
      frameCount: scan.count,
      validCount: this.validCount === -1 ? this.records.length : this.validCount,
      end: scan.end,
      torn: scan.torn,
      broken: this.broken,
      index: this.index,
      inWorker,
    };
  }
}

function checkedHeader(bytes: Buffer, keys: LogKeys): Buffer {
  const header = checkHeader(bytes, keys);
  if (!header.ok) {
    throw historyFailure(header.reason === 'wrong-key' ? HistoryErrorCode.WRONG_KEY : HistoryErrorCode.NOT_A_LOG);
  }
  return header.fileId;
}

/** Reads and checks a whole log image on this thread. */
function readChain(bytes: Buffer, keys: LogKeys): ChainState {
  const fileId = checkedHeader(bytes, keys);
  const reader = new ChainReader();
  const scan = scanFrames(bytes, keys, fileId, (f) => {
    reader.visit({ index: f.index, offset: f.offset, type: f.type, hashOk: f.hashOk, plaintext: f.plaintext, bodyHash: null });
  });
  return reader.finish(fileId, scan);
}

/**
 * The same check with frame authentication and decryption on `worker` (from startFrameWorker), while this thread
 * parses. Falls back to this thread if there is no worker or it fails.
 */
async function readChainWith(worker: Worker | null, bytes: Buffer, keys: LogKeys): Promise<ChainState> {
  if (worker === null) return readChain(bytes, keys);
  const fileId = checkedHeader(bytes, keys);
  const reader = new ChainReader();
  let scan: FrameScan;
  try {
    scan = await scanFramesInWorker(worker, bytes, keys.enc, fileId, (f) => {
      reader.visit(f);
    });
  } catch {
    return readChain(bytes, keys);
  }
  return reader.finish(fileId, scan, true);
}

/**
 * Reads the log file and checks it: on two threads when it is large enough for that to pay (starting a worker
 * costs tens of milliseconds), else on this one. ENOENT is passed on to the caller.
 */
async function readAndCheck(path: string, keys: LogKeys, workerUrl: URL | null): Promise<ChainState> {
  // One open and one stat: the size decides how the file is read and whether the worker starts (before the read).
  const handle = await open(path, 'r');
  let worker: Worker | null = null;
  let bytes: Buffer;
  try {
    const { size } = await handle.stat();
    if (workerUrl !== null && size >= PARALLEL_MIN_BYTES) {
      worker = startFrameWorker(workerUrl);
      bytes = await readShared(handle, size);
    } else {
      bytes = await handle.readFile();
    }
  } catch (error) {
    void worker?.terminate();
    throw error;
  } finally {
    await handle.close();
  }
  try {
    return await readChainWith(worker, bytes, keys);
  } finally {
    void worker?.terminate();
  }
}

function parseCheckpoint(plain: Buffer): Checkpoint | null {
  try {
    const v = JSON.parse(plain.toString('utf8')) as Partial<Checkpoint>;
    if (
      typeof v.pruned_count === 'number' &&
      typeof v.head === 'string' &&
      /^[0-9a-f]{64}$/.test(v.head) &&
      typeof v.pruned_until === 'string' &&
      typeof v.created_at === 'string'
    ) {
      return { pruned_count: v.pruned_count, head: v.head, pruned_until: v.pruned_until, created_at: v.created_at };
    }
  } catch {
    // falls through to null: the caller reports the checkpoint frame as damaged
  }
  return null;
}

/** A rewritten log's position (before it replaces the state): only its file id, length and head are needed. */
function positionOf(state: ChainState): LogPosition {
  const pruned = state.checkpoint?.pruned_count ?? 0;
  const last = state.records.at(-1);
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
  ) {
    this.path = path;
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
    try {
      state = await readAndCheck(path, keys, workerUrl);
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
    });
    try {
      await log.checkMark(options.mark ?? null);
    } catch (error) {
      await log.close();
      throw error instanceof AppFailure ? error : historyFailure(HistoryErrorCode.WRITE_FAILED, 'mark', error);
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
    const last = this.state.records.at(-1);
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
        firstSeq: this.state.records[0]?.seq ?? pruned,
        prunedCount: pruned,
        anchor: this.state.checkpoint?.head ?? GENESIS,
      },
    };
  }

  /** Records oldest first (chain order), with their chain hashes. */
  records(): readonly HistoryRecord[] {
    return this.state.records;
  }

  hashes(): readonly string[] {
    return this.state.hashes;
  }

  query(q?: HistoryQuery): { total: number; records: HistoryRecord[] } {
    return this.index.query(q);
  }

  recipients(): RecipientSummary[] {
    return this.index.recipients();
  }

  getRetentionYears(): number {
    return this.retentionYears;
  }

  setRetentionYears(years: number): void {
    checkRetention(years);
    this.retentionYears = years;
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
      this.state.records.push(record);
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

  /** Re-reads the file and checks the whole chain against what this process holds (on demand, §8). */
  verify(): Promise<HistoryIntegrity> {
    return this.serial(async () => {
      this.requireOpen();
      let fresh: ChainState;
      try {
        fresh = await readAndCheck(this.path, this.keys, this.workerUrl);
      } catch (error) {
        if (error instanceof AppFailure) {
          if (!this.state.broken) {
            this.state.broken = { position: 0, frame: 0, offset: 0, reason: 'framing' };
            this.state.validCount = 0;
          }
          return this.integrity();
        }
        throw error;
      }
      let broken = fresh.broken;
      if (!broken && fresh.torn) broken = { position: this.nextSeq(), frame: fresh.frameCount, offset: fresh.end, reason: 'framing' };
      if (!broken && fresh.hashes.length !== this.state.hashes.length) {
        const pos = Math.min(fresh.hashes.length, this.state.hashes.length);
        broken = { position: (this.state.checkpoint?.pruned_count ?? 0) + pos, frame: pos, offset: fresh.end, reason: 'chain' };
      }
      if (!broken && fresh.hashes.at(-1) !== this.state.hashes.at(-1)) {
        broken = { position: this.state.checkpoint?.pruned_count ?? 0, frame: 0, offset: HEADER_SIZE, reason: 'chain' };
      }
      if (broken && !this.state.broken) {
        this.state.broken = broken;
        // The valid prefix: records the file still holds unchanged, before its first damage.
        const limit = Math.min(fresh.validCount, fresh.hashes.length, this.state.hashes.length);
        let same = 0;
        while (same < limit && fresh.hashes[same] === this.state.hashes[same]) same++;
        this.state.validCount = same;
      }
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
      for (const r of this.state.records) {
        if (Date.parse(r.recorded_at) < limit && Date.parse(r.time) < limit) k++;
        else break;
      }
      if (k === 0) return { pruned: 0 };
      const lastPruned = this.state.records[k - 1];
      const head = this.state.hashes[k - 1];
      if (!lastPruned || !head) return { pruned: 0 };
      const checkpoint: Checkpoint = {
        pruned_count: lastPruned.seq + 1,
        head,
        pruned_until: lastPruned.recorded_at,
        created_at: this.clock.now().toISOString(),
      };
      await this.rewrite(checkpoint, this.state.records.slice(k), this.state.hashes.slice(k));
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
      const kept = this.state.records.slice(0, n);
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
  }

  async close(): Promise<void> {
    await this.queue;
    const h = this.handle;
    this.handle = null;
    await h?.close();
    await this.mark?.close();
  }

  /** Removes the log file entirely (used when the vault itself is destroyed). */
  static async destroy(dir: string): Promise<void> {
    await rm(join(dir, LOG_FILE), { force: true });
  }
}
