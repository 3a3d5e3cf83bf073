// Worker-thread side of the streamed CSV export (export-file.ts): reads the log file itself, authenticates, decrypts and
// chains every frame as open does, and writes the export's rows to the temporary file as it goes, reporting progress.
// The main thread only starts it, relays progress, and renames the file into place: 100k records never block it.
// A large log's frames are authenticated and decrypted on a frame worker (frame-worker.ts, as open does) while this
// thread parses and writes; if that worker fails, the export starts over on this thread alone.
import { hash } from 'node:crypto';
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { BOM, csvRow } from './csv.ts';
import { exportHeaderLines, readable } from './export-format.ts';
import { TYPE_CHECKPOINT, checkHeader, scanFrames, type Checkpoint, type FrameScan, type LogKeys } from './format.ts';
import { PARALLEL_MIN_BYTES, readShared, scanFramesInWorker, startFrameWorker, type CheckedFrame } from './frame-batch.ts';

export interface ExportRequest {
  logPath: string;
  /** Where to write (created exclusively, never an existing file). */
  tempPath: string;
  keys: LogKeys;
  /** What the log held when the export was asked for: the file must show exactly this. */
  expect: { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string };
  exportedAt: string;
  /** The frame worker's URL (href), or null to do everything on the export worker's thread. */
  frameWorkerUrl: string | null;
}

export type ExportMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; bytes: number }
  | { kind: 'error'; reason: 'broken' | 'changed' | 'io'; message: string; code?: string };

const FLUSH_BYTES = 1 << 20;
const PROGRESS_EVERY = 2048;

class Stop extends Error {
  readonly reason: 'broken' | 'changed';
  constructor(reason: 'broken' | 'changed', message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * The export file's bytes, gathered in one buffer and written when it fills. Each row's record JSON is copied from
 * the decrypted frame with its quotes doubled (RFC 4180) byte by byte: building that field as text (a replace over
 * 1 KB per record, then encoding it again) was most of the export's time. A quote is one byte in UTF-8 and never
 * part of another character, so doubling bytes gives exactly the text's UTF-8.
 */
class RowWriter {
  private buf = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  private at = 0;
  written = 0;
  private readonly fd: number;

  constructor(fd: number) {
    this.fd = fd;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  text(s: string): void {
    this.room(s.length * 3);
    this.at += this.buf.write(s, this.at, 'utf8');
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

  /** Writes what is gathered when it is at least `min` bytes. */
  flush(min = 0): void {
    if (this.at === 0 || this.at < min) return;
    let done = 0;
    while (done < this.at) done += writeSync(this.fd, this.buf, done, this.at - done);
    this.written += this.at;
    this.at = 0;
  }
}

/** Turns checked frames, in order, into rows: the chain and sequence are checked as they come. */
class Rows {
  prev = GENESIS;
  seq = 0;
  done = 0;
  private readonly out: RowWriter;
  private readonly total: number;
  private readonly post: (m: ExportMessage) => void;

  constructor(out: RowWriter, total: number, post: (m: ExportMessage) => void) {
    this.out = out;
    this.total = total;
    this.post = post;
  }

  visit(f: CheckedFrame): void {
    if (!f.hashOk || f.plaintext === null) throw new Stop('broken', `frame ${String(f.index)} does not verify`);
    if (f.type === TYPE_CHECKPOINT) {
      const cp = JSON.parse(f.plaintext.toString('utf8')) as Checkpoint;
      this.prev = cp.head;
      this.seq = cp.pruned_count;
      return;
    }
    // The plaintext is prev (64 hex) + "\n" + the record's canonical JSON; its SHA-256 is the chain hash.
    if (f.plaintext.toString('latin1', 0, 64) !== this.prev) throw new Stop('broken', `record ${String(this.seq)} does not chain`);
    const record = JSON.parse(f.plaintext.toString('utf8', 65)) as HistoryRecord;
    if (record.seq !== this.seq) throw new Stop('broken', `record ${String(this.seq)} out of sequence`);
    const h = f.bodyHash ?? hash('sha256', f.plaintext, 'hex');
    // The row exportRow (export-format.ts) makes: the readable columns, prev, hash, then the JSON as hashed.
    this.out.text(`${csvRow(readable(record))},${this.prev},${h},`);
    this.out.field(f.plaintext, 65, f.plaintext.length);
    this.out.text('\r\n');
    this.prev = h;
    this.seq++;
    this.done++;
    this.out.flush(FLUSH_BYTES);
    if (this.done % PROGRESS_EVERY === 0) this.post({ kind: 'progress', done: this.done, total: this.total });
  }
}

async function run(request: ExportRequest, post: (m: ExportMessage) => void): Promise<void> {
  const handle = await open(request.logPath, 'r');
  let worker: Worker | null = null;
  let bytes: Buffer;
  try {
    const size = (await handle.stat()).size;
    // Started before the read, so its start-up overlaps it; the bytes are then shared with it, not copied.
    if (request.frameWorkerUrl !== null && size >= PARALLEL_MIN_BYTES) worker = startFrameWorker(new URL(request.frameWorkerUrl));
    bytes = await readShared(handle, size, worker !== null);
  } catch (error) {
    void worker?.terminate();
    throw error;
  } finally {
    await handle.close();
  }
  const header = checkHeader(bytes, request.keys);
  if (!header.ok) {
    void worker?.terminate();
    throw new Stop('broken', `log header: ${header.reason}`);
  }
  const fd = openSync(request.tempPath, 'wx', 0o600);
  let out = new RowWriter(fd);
  const total = request.expect.records;
  try {
    const head = BOM + exportHeaderLines({ ...request.expect, exportedAt: new Date(request.exportedAt) }).join('\r\n') + '\r\n';
    out.text(head);
    let rows = new Rows(out, total, post);
    let scan: FrameScan | null = null;
    if (worker) {
      try {
        scan = await scanFramesInWorker(worker, bytes, request.keys.enc, header.fileId, (f) => {
          rows.visit(f);
        });
      } catch (error) {
        if (error instanceof Stop) throw error;
        // The frame worker failed: start over on this thread, from an empty file.
        ftruncateSync(fd, 0);
        out = new RowWriter(fd);
        out.text(head);
        rows = new Rows(out, total, post);
      }
    }
    scan ??= scanFrames(bytes, request.keys, header.fileId, (f) => {
      rows.visit({ ...f, bodyHash: null });
    });
    if (scan.framingLost || scan.torn) throw new Stop('broken', 'the log ends in damage');
    // The header promised what the log held when asked: a file that changed since (or differs) is not exported.
    if (rows.done !== total || rows.prev !== request.expect.head) throw new Stop('changed', `the log holds ${String(rows.done)} records ending in ${rows.prev}`);
    out.flush();
    fsyncSync(fd);
    post({ kind: 'progress', done: rows.done, total });
  } finally {
    closeSync(fd);
  }
  post({ kind: 'done', bytes: out.written });
}

parentPort?.once('message', (request: ExportRequest) => {
  const port = parentPort;
  if (!port) return;
  const post = (m: ExportMessage) => port.postMessage(m);
  run(request, post).catch((error: unknown) => {
    if (error instanceof Stop) post({ kind: 'error', reason: error.reason, message: error.message });
    else {
      const e = error as NodeJS.ErrnoException;
      post({ kind: 'error', reason: 'io', message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) });
    }
  });
});
