// Reading a history log image and checking its chain (G14, ARCHITECTURE §8): every frame's hash, AES-GCM
// authentication and the records' content chain, from the start of the file or from a sealed checkpoint
// (seal.ts). Pure reading: no file changes.
import { hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';
import { HEADER_SIZE, TYPE_CHECKPOINT, checkHeader, scanFrames, type Checkpoint, type FrameScan, type LogKeys, type ScanStart } from './format.ts';
import { PARALLEL_MIN_BYTES, readShared, scanFramesInWorker, startFrameWorker, type CheckedFrame } from './frame-batch.ts';
import { HistoryIndex } from './query.ts';
import { RecordStore, type SealedSource } from './records.ts';
import type { Seal } from './seal.ts';

export { PARALLEL_MIN_BYTES } from './frame-batch.ts';

/**
 * Where frame-worker.ts is: beside this module when running from source (tests, tools), and as the bundle's own
 * entry `history-frame-worker.js` beside the main bundle's chunks in the built app (electron.vite.config.ts).
 */
export function defaultFrameWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./frame-worker.ts', import.meta.url) : new URL('./history-frame-worker.js', import.meta.url);
}

export interface BrokenAt {
  /** Chain position (seq) of the first record that failed; pruned records count, as in record.seq. */
  position: number;
  /** Index of the frame in the file (0 = first frame after the header) and its byte offset. */
  frame: number;
  offset: number;
  reason: 'frame-hash' | 'decrypt' | 'chain' | 'framing' | 'checkpoint' | 'content';
}

export interface ChainState {
  fileId: Buffer;
  /** The records, in chain order: read in full, or sealed (read when shown, records.ts). */
  records: RecordStore;
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
  /** Frames up to this one were taken from a sealed checkpoint rather than checked now (0: all were checked). */
  sealedFrames: number;
  /** The open file sealed records are read from (set by the opener); closed when the state is let go. */
  sealedFile: { close(): Promise<void> } | null;
}

/**
 * Checks a log's frames as they come, in order (from scanFrames on this thread or from frame-worker.ts), and
 * collects the records, their chain hashes and the first damage. Pure: no file changes.
 */
class ChainReader {
  readonly records: RecordStore;
  readonly hashes: string[];
  readonly index: HistoryIndex;
  checkpoint: Checkpoint | null = null;
  broken: BrokenAt | null = null;
  private prev = GENESIS;
  private seq = 0;
  private validCount = -1;
  private sealedFrames = 0;

  constructor(seal: { seal: Seal; source: SealedSource } | null = null) {
    if (!seal) {
      this.records = new RecordStore();
      this.hashes = [];
    } else {
      const s = seal.seal;
      const hashes = s.hashes.slice();
      this.hashes = hashes;
      this.records = new RecordStore(s.checkpoint ? 1 : 0, seal.source, (pos) => hashes[pos]);
      this.checkpoint = s.checkpoint;
      this.prev = hashes.at(-1) ?? s.checkpoint?.head ?? GENESIS;
      const last = s.rows.at(-1);
      this.seq = last ? last.seq + 1 : (s.checkpoint?.pruned_count ?? 0);
      this.sealedFrames = s.frames;
    }
    const records = this.records;
    this.index = new HistoryIndex((pos) => records.get(pos));
    if (seal) {
      for (const [i, row] of seal.seal.rows.entries()) {
        records.pushSealed(row, seal.seal.offsets[i] ?? -1);
        this.index.add(row);
      }
    }
  }

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
    this.records.push(record, f.offset);
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
      sealedFrames: this.sealedFrames,
      sealedFile: null,
    };
  }
}

export function checkedHeader(bytes: Buffer, keys: LogKeys): Buffer {
  const header = checkHeader(bytes, keys);
  if (!header.ok) {
    throw historyFailure(header.reason === 'wrong-key' ? HistoryErrorCode.WRONG_KEY : HistoryErrorCode.NOT_A_LOG);
  }
  return header.fileId;
}

/** Reads and checks a whole log image on this thread. */
export function readChain(bytes: Buffer, keys: LogKeys): ChainState {
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
export async function readAndCheck(path: string, keys: LogKeys, workerUrl: URL | null, limit = Infinity): Promise<ChainState> {
  // One open and one stat: the size decides how the file is read and whether the worker starts (before the read).
  const handle = await open(path, 'r');
  let worker: Worker | null = null;
  let bytes: Buffer;
  try {
    const size = Math.min(limit, (await handle.stat()).size);
    if (workerUrl !== null && size >= PARALLEL_MIN_BYTES) {
      worker = startFrameWorker(workerUrl);
      bytes = await readShared(handle, size);
    } else {
      bytes = limit === Infinity ? await handle.readFile() : await readShared(handle, size, false);
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


/**
 * Reads a log from a sealed checkpoint: the records before it as the seal holds them (read from `source` when shown),
 * and every frame after it checked in full. `tail` is the file from byte `base` to its end, where `base` is 32 bytes
 * before the sealed end (the last sealed frame's hash), or the sealed end when no frame is sealed. Null when the seal
 * does not describe this file as it stands (seal.ts).
 */
export function readChainFromSeal(tail: Buffer, base: number, keys: LogKeys, fileId: Buffer, seal: Seal, source: SealedSource): ChainState | null {
  if (!seal.fileId.equals(fileId) || seal.end > base + tail.length || seal.end < HEADER_SIZE) return null;
  if (seal.rows.length !== seal.hashes.length || seal.rows.length !== seal.offsets.length) return null;
  if (seal.frames !== seal.rows.length + (seal.checkpoint ? 1 : 0)) return null;
  if (seal.frames === 0) {
    if (seal.lastFrameHash !== null || seal.end !== HEADER_SIZE || base !== HEADER_SIZE) return null;
  } else if (base !== seal.end - 32 || !seal.lastFrameHash?.equals(tail.subarray(0, 32))) return null;
  const from: ScanStart = { offset: seal.end - base, index: seal.frames, prevHash: seal.lastFrameHash };
  const reader = new ChainReader({ seal, source });
  const scan = scanFrames(tail, keys, fileId, (f) => {
    reader.visit({ index: f.index, offset: base + f.offset, type: f.type, hashOk: f.hashOk, plaintext: f.plaintext, bodyHash: null });
  }, from);
  return reader.finish(fileId, {
    ...scan,
    end: base + scan.end,
    torn: scan.torn && { offset: base + scan.torn.offset, bytes: scan.torn.bytes },
    framingLost: scan.framingLost && { index: scan.framingLost.index, offset: base + scan.framingLost.offset },
  });
}
