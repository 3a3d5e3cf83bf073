// Worker-thread side of the streamed CSV export (export-file.ts): takes the log file's bytes (read by export-file into
// shared memory while the workers start), authenticates, decrypts and chains every frame as open does, and writes the
// export's rows to the temporary file as it goes, reporting progress. The main thread only starts it, reads the file
// (asynchronously), relays progress, and renames the file into place: 100k records never block it.
// A large log is cut in two at a frame boundary near its middle: a second copy of this worker (a "part", started by
// export-file.ts beside this one so that its start-up overlaps this one's, and reached through a MessagePort) checks
// and formats the second half into memory while this thread does the first half and writes it; the part's rows follow
// once both ends meet (its first record chains to this half's last). Each frame is checked exactly as one thread
// would (the part starts from the stored hash before its first frame, which this thread checks as its last frame's
// hash). If the part fails, this thread goes on through the second half itself.
import { hash, type KeyObject } from 'node:crypto';
import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { BOM } from './csv.ts';
import { exportHeaderLines, readablePrefix, readablePrefixOfJson } from './export-format.ts';
import { FRAME_MARKER, FRAME_OVERHEAD, HEADER_SIZE, MAX_BODY, TYPE_CHECKPOINT, checkHeader, scanFrames, type Checkpoint, type FrameScan, type LogKeys, type ScannedFrame } from './format.ts';

export interface ExportRequest {
  /** The log file's bytes as read when the export was asked for (shared memory, so the part sees them too). */
  image: SharedArrayBuffer;
  imageLength: number;
  /** Where to write (created exclusively, never an existing file). */
  tempPath: string;
  keys: LogKeys;
  /** What the log held when the export was asked for: the file must show exactly this. */
  expect: { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string };
  exportedAt: string;
  /** A port to a part (another export worker) for a large log's second half; null: everything on this thread. */
  partPort: MessagePort | null;
}

/** What export-file.ts sends a part: the port on which its request will come. */
export interface PartStart {
  kind: 'part-port';
  port: MessagePort;
}

export type ExportMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; bytes: number }
  | { kind: 'error'; reason: 'broken' | 'changed' | 'io'; message: string; code?: string };

/** What a part is asked: the frames of `bytes` (the whole file image, shared) from `from` to the end. */
interface PartRequest {
  bytes: SharedArrayBuffer;
  length: number;
  enc: KeyObject;
  fileId: Uint8Array;
  from: { offset: number; index: number; prevHash: Uint8Array };
  /** Rows formatted so far, shared, so the exporting thread's progress counts them. */
  counter: Int32Array;
}

/** Where the chain stood when a run of rows began or ended. */
interface ChainAt {
  prev: string;
  seq: number;
}

type PartMessage =
  | { kind: 'rows'; data: SharedArrayBuffer; length: number }
  | { kind: 'done'; assumed: ChainAt | null; end: ChainAt; rows: number; damagedEnd: boolean }
  | { kind: 'error'; reason: 'broken' | 'io'; message: string };

/** Rows gathered before a write to the file; a part hands on larger pieces, each one message to the exporting thread. */
const FLUSH_BYTES = 1 << 20;
const PART_FLUSH_BYTES = 4 << 20;
/** Room past the flush size for the row that crosses it (a longer row gets a buffer of its own). */
const ROW_MARGIN = 64 << 10;
/**
 * Where a large log is cut, as a share of its bytes: the exporting thread's half is the smaller one. It writes its
 * rows as it goes, and once done it writes the part's rows as they arrive; finishing a little before the part, it
 * has written most of them by the time the part's last piece comes, instead of all 65 MB after both halves.
 */
const SPLIT_SHARE = 0.47;
const SYNC_EVERY = 16 << 20;
const PROGRESS_EVERY = 2048;
const ESCAPE = Buffer.from('\\u', 'latin1');

class Stop extends Error {
  readonly reason: 'broken' | 'changed';
  constructor(reason: 'broken' | 'changed', message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Rows' bytes, gathered in one buffer and handed on when it fills (to the file, or to the exporting thread). Each
 * row's record JSON is copied from the decrypted frame with its quotes doubled (RFC 4180) byte by byte: building
 * that field as text (a replace over 1 KB per record, then encoding it again) was most of the export's time. A quote
 * is one byte in UTF-8 and never part of another character, so doubling bytes gives exactly the text's UTF-8.
 */
class RowWriter {
  private buf: Buffer;
  private at = 0;
  written = 0;
  private readonly sink: (buf: Buffer, length: number) => Buffer | null;
  private readonly alloc: (size: number) => Buffer;
  readonly flushBytes: number;

  /** `sink` takes the filled part of the buffer; it returns the buffer to reuse, or null when it kept it. */
  constructor(sink: (buf: Buffer, length: number) => Buffer | null, flushBytes = FLUSH_BYTES, alloc: (size: number) => Buffer = (n) => Buffer.allocUnsafe(n)) {
    this.sink = sink;
    this.alloc = alloc;
    this.flushBytes = flushBytes;
    this.buf = alloc(flushBytes + ROW_MARGIN);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = this.alloc(n);
  }

  text(s: string): void {
    this.room(s.length * 3);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** Text whose characters are bytes (readablePrefix's byte form, or ASCII). */
  bytes(s: string): void {
    this.room(s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  /** `src[start, end)` as a CSV field: quoted, with each quote doubled, when it holds a quote, comma, CR or LF. */
  field(src: Buffer, start: number, end: number): void {
    const part = src.subarray(start, end);
    if (part.indexOf(0x22) === -1 && part.indexOf(0x2c) === -1 && part.indexOf(0x0d) === -1 && part.indexOf(0x0a) === -1) {
      this.room(part.length);
      this.at += part.copy(this.buf, this.at);
      return;
    }
    this.room(2 * part.length + 2);
    const out = this.buf;
    let o = this.at;
    out[o++] = 0x22;
    for (let i = start; i < end; i++) {
      const b = src[i] as number;
      out[o++] = b;
      if (b === 0x22) out[o++] = 0x22;
    }
    out[o++] = 0x22;
    this.at = o;
  }

  /** Hands on what is gathered, then `chunk` (rows another thread formatted) as it is. */
  append(chunk: Buffer): void {
    this.flush();
    this.sink(chunk, chunk.length);
    this.written += chunk.length;
  }

  /** Forgets what was handed on past `written` bytes (the sink was cut back there); nothing may be gathered. */
  rewind(written: number): void {
    this.written = written;
  }

  /** Hands on what is gathered when it is at least `min` bytes. */
  flush(min = 0): void {
    if (this.at === 0 || this.at < min) return;
    this.written += this.at;
    this.buf = this.sink(this.buf, this.at) ?? this.alloc(this.buf.length);
    this.at = 0;
  }
}

/**
 * Writes to the export file and, every SYNC_EVERY bytes, asks the disk to catch up (fdatasync on libuv's thread pool,
 * while this thread goes on formatting). Left to the end, the whole file was dirty at once: the part's 65 MB, written
 * last, took ~140 ms (the kernel throttles a writer far ahead of the disk) and the final sync ~55 ms; synced as it
 * goes, ~20–50 ms and ~20–30 ms (bench log of 101k records). Never closed while a sync is still running.
 */
class FileSink {
  private readonly fd: number;
  /** Where the next write goes: explicit, so that the file can be cut back (truncate) and written on from there. */
  private position = 0;
  private sinceSync = 0;
  private syncing: Promise<void> | null = null;

  constructor(fd: number) {
    this.fd = fd;
  }

  readonly write = (buf: Buffer, length: number): Buffer => {
    let done = 0;
    while (done < length) done += writeSync(this.fd, buf, done, length - done, this.position + done);
    this.position += length;
    this.sinceSync += length;
    if (this.sinceSync >= SYNC_EVERY && this.syncing === null) {
      this.sinceSync = 0;
      this.syncing = new Promise<void>((resolve) => {
        fdatasync(this.fd, () => {
          this.syncing = null;
          resolve();
        });
      });
    }
    return buf;
  };

  /** Cuts the file back to its first `length` bytes; the next write goes there. */
  truncate(length: number): void {
    ftruncateSync(this.fd, length);
    this.position = length;
  }

  /** Waits for a sync in flight (before the file is synced for good, or closed: never close under a running sync). */
  async settled(): Promise<void> {
    await this.syncing;
  }
}

/**
 * Turns checked frames, in order, into rows: the chain and sequence are checked as they come. A part starts
 * without knowing where the chain stands (`prev` null): it takes that from its first record and reports it as
 * `assumed`, for the exporting thread to check against its own half's end.
 */
class Rows {
  prev: string | null;
  seq: number;
  done = 0;
  assumed: ChainAt | null = null;
  private readonly out: RowWriter;
  private readonly report: (done: number) => void;

  constructor(out: RowWriter, start: ChainAt | null, report: (done: number) => void) {
    this.out = out;
    this.prev = start?.prev ?? null;
    this.seq = start?.seq ?? 0;
    this.report = report;
  }

  visit(f: ScannedFrame): void {
    if (!f.hashOk || f.plaintext === null) throw new Stop('broken', `frame ${String(f.index)} does not verify`);
    const body = f.plaintext;
    if (f.type === TYPE_CHECKPOINT) {
      const cp = JSON.parse(body.toString('utf8')) as Checkpoint;
      this.prev = cp.head;
      this.seq = cp.pruned_count;
      return;
    }
    // The plaintext is prev (64 hex) + "\n" + the record's canonical JSON; its SHA-256 is the chain hash.
    const prev = body.toString('latin1', 0, 64);
    // Read as bytes (readablePrefix) unless a \u escape is in it; a backslash before a "u" only makes this careful.
    const asBytes = body.indexOf(ESCAPE, 65) === -1;
    const text = asBytes ? body.toString('latin1', 65) : body.toString('utf8', 65);
    // The usual record is read without building it (readablePrefixOfJson); anything else is parsed in full.
    const fast = asBytes ? readablePrefixOfJson(text) : null;
    const record = fast === null ? (JSON.parse(text) as HistoryRecord) : null;
    const seq = fast?.seq ?? record?.seq;
    if (this.prev === null) {
      this.prev = prev;
      this.seq = seq ?? 0;
      this.assumed = { prev, seq: this.seq };
    }
    if (prev !== this.prev) throw new Stop('broken', `record ${String(this.seq)} does not chain`);
    if (seq !== this.seq) throw new Stop('broken', `record ${String(this.seq)} out of sequence`);
    const h = hash('sha256', body, 'hex');
    // The row exportRow (export-format.ts) makes: the readable columns, prev, hash, then the JSON as hashed.
    const start = `${fast?.prefix ?? readablePrefix(record as HistoryRecord, asBytes)}${prev},${h},`;
    if (asBytes) this.out.bytes(start);
    else this.out.text(start);
    this.out.field(body, 65, body.length);
    this.out.bytes('\r\n');
    this.prev = h;
    this.seq++;
    this.done++;
    this.out.flush(this.out.flushBytes);
    if (this.done % PROGRESS_EVERY === 0) this.report(this.done);
  }
}

/** A frame boundary near the middle of a large log (at least one frame on each side; see SPLIT_SHARE), or null. */
export function splitPoint(bytes: Buffer): { offset: number; index: number } | null {
  const marker = FRAME_MARKER.readUInt32BE(0);
  const half = bytes.length * SPLIT_SHARE;
  let offset = HEADER_SIZE;
  let index = 0;
  // Lengths only: every frame is checked by whichever thread scans it; damage here just means no split.
  while (offset < half) {
    if (offset + 9 > bytes.length || bytes.readUInt32BE(offset) !== marker) return null;
    const len = bytes.readUInt32BE(offset + 5);
    if (len > MAX_BODY || offset + FRAME_OVERHEAD + len > bytes.length) return null;
    offset += FRAME_OVERHEAD + len;
    index++;
  }
  return index > 0 && offset < bytes.length ? { offset, index } : null;
}

interface PartOutcome {
  assumed: ChainAt | null;
  end: ChainAt;
  rows: number;
  damagedEnd: boolean;
}

/**
 * Watches a part's port from the moment it arrives: a part whose worker failed to start closes its side before the
 * part is asked anything, and a close nobody listened for is not told again.
 */
function watchPart(port: MessagePort): { port: MessagePort; gone: () => boolean } {
  let gone = false;
  port.once('close', () => {
    gone = true;
  });
  return { port, gone: () => gone };
}

/** Writing the part's rows failed (the disk, not the part): the export fails with this error. */
class SinkFailure extends Error {
  constructor(cause: unknown) {
    super('writing the export failed', { cause });
  }
}

/**
 * Runs a part over `port`, handing its rows in order to `onRows` as they arrive (messages are taken only when this
 * thread waits, so not before its own half is done); rejects with Stop when the part found the log broken, with
 * SinkFailure when `onRows` threw, else with the part's failure.
 */
function runPart({ port, gone }: { port: MessagePort; gone: () => boolean }, request: PartRequest, onRows: (rows: Buffer) => void): Promise<PartOutcome> {
  return new Promise<PartOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      port.removeAllListeners('message');
      port.close();
      fn();
    };
    port.on('message', (m: PartMessage) => {
      if (m.kind === 'rows') {
        if (settled) return;
        try {
          onRows(Buffer.from(m.data, 0, m.length));
        } catch (error) {
          finish(() => reject(new SinkFailure(error)));
        }
      } else if (m.kind === 'done') finish(() => resolve({ assumed: m.assumed, end: m.end, rows: m.rows, damagedEnd: m.damagedEnd }));
      else finish(() => reject(m.reason === 'broken' ? new Stop('broken', m.message) : new Error(m.message)));
    });
    // The part's side closes when its worker stops (or never started): it will not answer.
    const stopped = () => finish(() => reject(new Error('the export part stopped')));
    if (gone()) {
      stopped();
      return;
    }
    port.once('close', stopped);
    port.postMessage(request);
  });
}

async function run(request: ExportRequest, post: (m: ExportMessage) => void): Promise<void> {
  const bytes = Buffer.from(request.image, 0, request.imageLength);
  // export-file starts a part only for a log large enough to be worth one: its port is the whole decision.
  const part = request.partPort && watchPart(request.partPort);
  const header = checkHeader(bytes, request.keys);
  const split = part && header.ok ? splitPoint(bytes) : null;
  if (!split) request.partPort?.close();
  if (!header.ok) throw new Stop('broken', `log header: ${header.reason}`);
  const total = request.expect.records;
  const counter = new Int32Array(new SharedArrayBuffer(4));
  // The part's rows go to the file as they arrive, which is only once this thread waits (its half written first).
  let out: RowWriter | null = null;
  const parted =
    part && split
      ? runPart(part, {
          bytes: request.image,
          length: bytes.length,
          enc: request.keys.enc,
          fileId: new Uint8Array(header.fileId),
          from: { offset: split.offset, index: split.index, prevHash: new Uint8Array(bytes.subarray(split.offset - 32, split.offset)) },
          counter,
        }, (chunk) => {
          if (!out) throw new Error('part rows before the export file is open');
          out.append(chunk);
        })
      : null;
  // Settled before it is awaited: a part that fails while this thread works must not be an unhandled rejection.
  parted?.catch(() => undefined);
  const fd = openSync(request.tempPath, 'wx', 0o600);
  const sink = new FileSink(fd);
  const writer = new RowWriter(sink.write);
  out = writer;
  try {
    writer.text(BOM + exportHeaderLines({ ...request.expect, exportedAt: new Date(request.exportedAt) }).join('\r\n') + '\r\n');
    let shown = 0;
    const rows = new Rows(writer, { prev: GENESIS, seq: 0 }, (done) => {
      // Never backwards, even when a failed part's rows stop counting.
      shown = Math.max(shown, done + Atomics.load(counter, 0));
      post({ kind: 'progress', done: shown, total });
    });
    const visit = (f: ScannedFrame) => rows.visit(f);
    const scan: FrameScan = scanFrames(split ? bytes.subarray(0, split.offset) : bytes, request.keys, header.fileId, visit);
    let damaged = scan.framingLost !== null || scan.torn !== null;
    if (split && !damaged) {
      writer.flush();
      const ownEnd = writer.written;
      let outcome: PartOutcome | null = null;
      try {
        outcome = await parted;
      } catch (error) {
        if (error instanceof Stop) throw error;
        if (error instanceof SinkFailure) throw error.cause;
      }
      if (outcome) {
        // The part's first record must continue this half's chain exactly where it ended (its rows are in the
        // temporary file already, which a refused export removes).
        if (outcome.assumed && (outcome.assumed.prev !== rows.prev || outcome.assumed.seq !== rows.seq)) throw new Stop('broken', `record ${String(rows.seq)} does not chain`);
        rows.prev = outcome.end.prev;
        rows.seq = outcome.end.seq;
        rows.done += outcome.rows;
        damaged = outcome.damagedEnd;
      } else {
        // The part failed: this thread checks and writes the second half itself, over whatever of the part's rows
        // it had written already.
        out = null;
        sink.truncate(ownEnd);
        writer.rewind(ownEnd);
        Atomics.store(counter, 0, 0);
        const rest = scanFrames(bytes, request.keys, header.fileId, visit, { offset: split.offset, index: split.index, prevHash: bytes.subarray(split.offset - 32, split.offset) });
        damaged = rest.framingLost !== null || rest.torn !== null;
      }
    }
    if (damaged) throw new Stop('broken', 'the log ends in damage');
    // The header promised what the log held when asked: a file that changed since (or differs) is not exported.
    if (rows.done !== total || rows.prev !== request.expect.head) throw new Stop('changed', `the log holds ${String(rows.done)} records ending in ${String(rows.prev)}`);
    writer.flush();
    await sink.settled();
    fsyncSync(fd);
    post({ kind: 'progress', done: rows.done, total });
  } finally {
    request.partPort?.close();
    await sink.settled();
    closeSync(fd);
  }
  post({ kind: 'done', bytes: writer.written });
}

/** A part: checks and formats the frames from `from` to the end, handing its rows to the exporting thread. */
function runAsPart(request: PartRequest, post: (m: PartMessage) => void): void {
  const bytes = Buffer.from(request.bytes, 0, request.length);
  // Shared memory, handed over by reference: transferring a buffer per megabyte of rows cost more than formatting them.
  const out = new RowWriter(
    (buf, length) => {
      post({ kind: 'rows', data: buf.buffer as SharedArrayBuffer, length });
      return null;
    },
    PART_FLUSH_BYTES,
    (n) => Buffer.from(new SharedArrayBuffer(n)),
  );
  const rows = new Rows(out, null, (done) => Atomics.store(request.counter, 0, done));
  const keys = { enc: request.enc } as LogKeys;
  const from = { offset: request.from.offset, index: request.from.index, prevHash: Buffer.from(request.from.prevHash) };
  const scan = scanFrames(bytes, keys, Buffer.from(request.fileId), (f) => rows.visit(f), from);
  out.flush();
  Atomics.store(request.counter, 0, rows.done);
  const end = { prev: rows.prev ?? '', seq: rows.seq };
  post({ kind: 'done', assumed: rows.assumed, end, rows: rows.done, damagedEnd: scan.framingLost !== null || scan.torn !== null });
}

parentPort?.once('message', (request: ExportRequest | PartStart) => {
  const port = parentPort;
  if (!port) return;
  if ('kind' in request) {
    const partPort = request.port;
    partPort.once('message', (job: PartRequest) => {
      const post = (m: PartMessage) => partPort.postMessage(m);
      try {
        runAsPart(job, post);
      } catch (error) {
        post({ kind: 'error', reason: error instanceof Stop ? 'broken' : 'io', message: error instanceof Error ? error.message : String(error) });
      }
    });
    return;
  }
  const post = (m: ExportMessage) => port.postMessage(m);
  run(request, post).catch((error: unknown) => {
    if (error instanceof Stop) post({ kind: 'error', reason: error.reason, message: error.message });
    else {
      const e = error as NodeJS.ErrnoException;
      post({ kind: 'error', reason: 'io', message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) });
    }
  });
});
