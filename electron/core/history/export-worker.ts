// Worker-thread side of the streamed CSV export (export-file.ts): takes the log file's bytes (read by export-file into
// shared memory while the workers start), authenticates, decrypts and chains every frame as open does, and writes the
// export's rows to the temporary file as it goes, reporting progress. The main thread only starts it, reads the file
// (asynchronously), relays progress, and renames the file into place: 100k records never block it.
// The log is cut into segments at frame boundaries (SEGMENT_BYTES). For a large log a second copy of this worker (a
// "part", started by export-file.ts beside this one so that its start-up overlaps this one's, and reached through a
// MessagePort) claims segments too, from a counter both threads share, and hands each one's rows over in shared
// memory. This thread writes the segments in order: straight into the file when every earlier one is written, else
// from memory in its turn, each only if its first record continues the chain where the previous one ended. Each
// frame is checked exactly as one thread would (a segment starts from the stored hash before its first frame, which
// the scan of the previous segment checks as its last frame's hash). Segments a part claimed but never handed over
// (it failed, or stopped) are done by this thread.
import { hash, type KeyObject } from 'node:crypto';
import { closeSync, fdatasync, fsyncSync, openSync, writeSync } from 'node:fs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { BOM } from './csv.ts';
import { exportHeaderLines, readablePrefix, readablePrefixOfJson } from './export-format.ts';
import { FRAME_OVERHEAD, HEADER_SIZE, TYPE_CHECKPOINT, checkHeader, frameBodyLength, prevFrameHash, scanFrames, type Checkpoint, type LogKeys, type ScannedFrame } from './format.ts';

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
  /** A port to a part (another export worker) that shares a large log's segments; null: everything on this thread. */
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

/** What a part is asked: the log's segments (the whole file image, shared) and the counters both threads share. */
interface PartRequest {
  bytes: SharedArrayBuffer;
  length: number;
  enc: KeyObject;
  fileId: Uint8Array;
  starts: { offset: number; index: number }[];
  claim: Int32Array;
  formatted: Int32Array;
}

/** Where the chain stood when a run of rows began or ended. */
interface ChainAt {
  prev: string;
  seq: number;
}

type PartMessage =
  | { kind: 'segment'; j: number; chunks: SharedArrayBuffer[]; lengths: number[]; assumed: ChainAt | null; end: ChainAt; rows: number; damagedEnd: boolean }
  | { kind: 'error'; reason: 'broken' | 'io'; message: string };

/** Rows gathered before a write to the file (or, formatted into memory, before a buffer is full). */
const FLUSH_BYTES = 1 << 20;
/**
 * A large log is done in segments of about this many bytes of the file, each by whichever thread claims it next; the
 * exporting thread writes them in order as they are finished. With two halves (one per thread), the second half's
 * 65 MB could go to the file only after the first half was done: on a disk that writes ~190 MB/s once its cache is
 * full, its sync alone took ~0.35 s after all the checking was over.
 */
const SEGMENT_BYTES = 2 << 20;
/** Room past the flush size for the row that crosses it (a longer row gets a buffer of its own). */
const ROW_MARGIN = 64 << 10;
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
 * while this thread goes on formatting). Left to the end, the whole file was dirty at once: the last 65 MB written
 * took ~140 ms (the kernel throttles a writer far ahead of the disk) and the final sync ~55 ms; synced as it goes,
 * ~20–50 ms and ~20–30 ms (bench log of 101k records). Never closed while a sync is still running.
 */
class FileSink {
  private readonly fd: number;
  private sinceSync = 0;
  private syncing: Promise<void> | null = null;

  constructor(fd: number) {
    this.fd = fd;
  }

  readonly write = (buf: Buffer, length: number): Buffer => {
    let done = 0;
    while (done < length) done += writeSync(this.fd, buf, done, length - done);
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

  /** Waits for a sync in flight (before the file is synced for good, or closed: never close under a running sync). */
  async settled(): Promise<void> {
    await this.syncing;
  }
}

/**
 * Turns checked frames, in order, into rows: the chain and sequence are checked as they come. A segment formatted
 * before the one ahead of it is written starts without knowing where the chain stands (`prev` null): it takes that
 * from its first record and reports it as `assumed`, for the exporting thread to check against where the previous
 * segment ended.
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

/**
 * Where the log's segments start: a frame boundary every SEGMENT_BYTES or so (lengths only: every frame is checked by
 * whichever thread scans it; a frame whose framing is not sane ends the list, and the last segment, running to the
 * end of the file, then meets the damage in its scan).
 */
export function segmentStarts(bytes: Buffer, segmentBytes = SEGMENT_BYTES): { offset: number; index: number }[] {
  const starts = [{ offset: HEADER_SIZE, index: 0 }];
  let offset = HEADER_SIZE;
  let index = 0;
  let next = HEADER_SIZE + segmentBytes;
  while (offset < bytes.length) {
    const len = frameBodyLength(bytes, offset);
    if (len === null) break;
    offset += FRAME_OVERHEAD + len;
    index++;
    if (offset >= next && offset < bytes.length) {
      starts.push({ offset, index });
      next = offset + segmentBytes;
    }
  }
  return starts;
}

/** One segment checked and formatted apart from the file: its rows, and where the chain stood at its two ends. */
interface SegmentRows {
  chunks: Buffer[];
  /** The chain as the segment's first record continues it (null: it holds no record to say so). */
  assumed: ChainAt | null;
  end: ChainAt;
  rows: number;
  damagedEnd: boolean;
}

/** The log's segments as both threads see them: the file image, where each segment starts, and who does which. */
interface Segments {
  bytes: Buffer;
  keys: LogKeys;
  fileId: Buffer;
  starts: { offset: number; index: number }[];
  /** The next segment nobody has claimed yet (Atomics.add: each segment is done by exactly one thread). */
  claim: Int32Array;
  /** Rows formatted so far by both threads, for progress. */
  formatted: Int32Array;
}

function claimSegment(s: Segments): number {
  return Atomics.add(s.claim, 0, 1);
}

/** Checks and formats segment `j` into `out`, continuing the chain at `start` (null: from its first record's word). */
function scanSegment(s: Segments, j: number, out: RowWriter, start: ChainAt | null, tick?: () => void): { rows: Rows; damaged: boolean } {
  const from = s.starts[j];
  if (!from) throw new Error(`no segment ${String(j)}`);
  const end = s.starts[j + 1]?.offset ?? s.bytes.length;
  let counted = 0;
  const rows = new Rows(out, start, (done) => {
    Atomics.add(s.formatted, 0, done - counted);
    counted = done;
    tick?.();
  });
  const scan = scanFrames(s.bytes.subarray(0, end), s.keys, s.fileId, (f) => rows.visit(f), {
    offset: from.offset,
    index: from.index,
    prevHash: prevFrameHash(s.bytes, from.offset),
  });
  Atomics.add(s.formatted, 0, rows.done - counted);
  return { rows, damaged: scan.framingLost !== null || scan.torn !== null };
}

/** Segment `j` checked and formatted into memory (`alloc` gives the buffers: shared ones for a part's rows). */
function segmentRows(s: Segments, j: number, flushBytes: number, alloc: (size: number) => Buffer, tick?: () => void): SegmentRows {
  const chunks: Buffer[] = [];
  const out = new RowWriter(
    (buf, length) => {
      chunks.push(buf.subarray(0, length));
      return null;
    },
    flushBytes,
    alloc,
  );
  const { rows, damaged } = scanSegment(s, j, out, null, tick);
  out.flush();
  return { chunks, assumed: rows.assumed, end: { prev: rows.prev ?? '', seq: rows.seq }, rows: rows.done, damagedEnd: damaged };
}

/**
 * Watches a part's port from the moment it arrives: a part whose worker failed to start closes its side before the
 * part is asked anything, and a close nobody listened for is not told again. Segments the part hands on are kept by
 * number; `wake` tells the exporting thread something changed.
 */
class PartLink {
  readonly port: MessagePort;
  gone = false;
  broken: string | null = null;
  readonly delivered = new Map<number, SegmentRows>();
  private waiter: (() => void) | null = null;

  constructor(port: MessagePort) {
    this.port = port;
    port.on('message', (m: PartMessage) => {
      if (m.kind === 'segment') {
        this.delivered.set(m.j, {
          chunks: m.chunks.map((data, i) => Buffer.from(data, 0, m.lengths[i])),
          assumed: m.assumed,
          end: m.end,
          rows: m.rows,
          damagedEnd: m.damagedEnd,
        });
      } else {
        if (m.reason === 'broken') this.broken = m.message;
        else this.stop();
      }
      this.wake();
    });
    // The part's side closes when its worker stops (or never started): nothing more will come.
    port.once('close', () => {
      this.gone = true;
      this.wake();
    });
  }

  stop(): void {
    if (this.gone) return;
    this.gone = true;
    this.port.removeAllListeners('message');
    this.port.close();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Resolves at the part's next message or its end. */
  changed(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiter = resolve;
    });
  }
}

/** A turn of the event loop: the part's segments and the background syncs' callbacks come in. */
function turn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

async function run(request: ExportRequest, post: (m: ExportMessage) => void): Promise<void> {
  const bytes = Buffer.from(request.image, 0, request.imageLength);
  // export-file starts a part only for a log large enough to be worth one: its port is the whole decision.
  const part = request.partPort && new PartLink(request.partPort);
  const header = checkHeader(bytes, request.keys);
  if (!header.ok) {
    part?.stop();
    throw new Stop('broken', `log header: ${header.reason}`);
  }
  const s: Segments = {
    bytes,
    keys: request.keys,
    fileId: header.fileId,
    starts: segmentStarts(bytes),
    claim: new Int32Array(new SharedArrayBuffer(4)),
    formatted: new Int32Array(new SharedArrayBuffer(4)),
  };
  const count = s.starts.length;
  if (part && count > 1) {
    const ask: PartRequest = {
      bytes: request.image,
      length: bytes.length,
      enc: request.keys.enc,
      fileId: new Uint8Array(header.fileId),
      starts: s.starts,
      claim: s.claim,
      formatted: s.formatted,
    };
    part.port.postMessage(ask);
  } else part?.stop();
  const total = request.expect.records;
  let shown = 0;
  const tick = () => {
    // Never backwards, and never past the total (a failed part's rows are formatted again here).
    const now = Math.min(total, Atomics.load(s.formatted, 0));
    if (now <= shown) return;
    shown = now;
    post({ kind: 'progress', done: shown, total });
  };
  const fd = openSync(request.tempPath, 'wx', 0o600);
  const sink = new FileSink(fd);
  const out = new RowWriter(sink.write);
  // Where the file stands: every segment before `next` is written, `done` rows whose chain ends at `chain`.
  const at: { chain: ChainAt; next: number; done: number; damaged: boolean } = { chain: { prev: GENESIS, seq: 0 }, next: 0, done: 0, damaged: false };
  const mine = new Map<number, SegmentRows>();
  // Segment `next` checked and formatted straight into the file (its place there is known).
  const writeDirect = () => {
    const { rows, damaged: d } = scanSegment(s, at.next, out, at.chain, tick);
    out.flush(out.flushBytes);
    at.chain = { prev: rows.prev ?? '', seq: rows.seq };
    at.done += rows.done;
    at.damaged = d;
    at.next++;
  };
  // Writes every finished segment that is next in the file, in order, checking that each continues the chain.
  const writeReady = () => {
    for (;;) {
      if (part?.broken) throw new Stop('broken', part.broken);
      const ready = mine.get(at.next) ?? part?.delivered.get(at.next);
      if (!ready) return;
      mine.delete(at.next);
      part?.delivered.delete(at.next);
      if (at.damaged) throw new Stop('broken', 'the log ends in damage');
      if (ready.assumed && (ready.assumed.prev !== at.chain.prev || ready.assumed.seq !== at.chain.seq)) throw new Stop('broken', `record ${String(at.chain.seq)} does not chain`);
      for (const chunk of ready.chunks) out.append(chunk);
      at.chain = ready.end;
      at.done += ready.rows;
      at.damaged = ready.damagedEnd;
      at.next++;
    }
  };
  try {
    out.text(BOM + exportHeaderLines({ ...request.expect, exportedAt: new Date(request.exportedAt) }).join('\r\n') + '\r\n');
    for (let j = claimSegment(s); j < count; j = claimSegment(s)) {
      writeReady();
      // Straight into the file when every segment before it is written; else into memory, written in its turn.
      if (j === at.next && !at.damaged) writeDirect();
      else mine.set(j, segmentRows(s, j, FLUSH_BYTES, (n) => Buffer.allocUnsafe(n), tick));
      writeReady();
      await turn();
    }
    // Every segment is claimed; the part's last ones are still coming, or never will if it stopped.
    while (at.next < count) {
      writeReady();
      if (at.next >= count) break;
      if (part && !part.gone) {
        await part.changed();
        tick();
        continue;
      }
      // The part stopped without handing this segment on: this thread does it.
      if (at.damaged) throw new Stop('broken', 'the log ends in damage');
      writeDirect();
    }
    part?.stop();
    if (at.damaged) throw new Stop('broken', 'the log ends in damage');
    // The header promised what the log held when asked: a file that changed since (or differs) is not exported.
    if (at.done !== total || at.chain.prev !== request.expect.head) throw new Stop('changed', `the log holds ${String(at.done)} records ending in ${at.chain.prev}`);
    out.flush();
    await sink.settled();
    fsyncSync(fd);
    post({ kind: 'progress', done: at.done, total });
  } finally {
    part?.stop();
    await sink.settled();
    closeSync(fd);
  }
  post({ kind: 'done', bytes: out.written });
}

/** A part: claims segments until none is left, checking and formatting each into shared memory for the exporting thread. */
function runAsPart(request: PartRequest, post: (m: PartMessage) => void): void {
  const s: Segments = {
    bytes: Buffer.from(request.bytes, 0, request.length),
    keys: { enc: request.enc } as LogKeys,
    fileId: Buffer.from(request.fileId),
    starts: request.starts,
    claim: request.claim,
    formatted: request.formatted,
  };
  // Shared memory, handed over by reference: transferring a buffer per megabyte of rows cost more than formatting them.
  const alloc = (n: number) => Buffer.from(new SharedArrayBuffer(n));
  for (let j = claimSegment(s); j < s.starts.length; j = claimSegment(s)) {
    const seg = segmentRows(s, j, FLUSH_BYTES, alloc);
    post({
      kind: 'segment',
      j,
      chunks: seg.chunks.map((c) => c.buffer as SharedArrayBuffer),
      lengths: seg.chunks.map((c) => c.length),
      assumed: seg.assumed,
      end: seg.end,
      rows: seg.rows,
      damagedEnd: seg.damagedEnd,
    });
  }
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
