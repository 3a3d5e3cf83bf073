// Worker-thread side of the streamed CSV export (export-file.ts): reads the log file itself, authenticates, decrypts and
// chains every frame as open does, and writes the export's rows to the temporary file as it goes, reporting progress.
// The main thread only starts it, relays progress, and renames the file into place: 100k records never block it.
import { hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { BOM, csvRow } from './csv.ts';
import { exportHeaderLines, readable } from './export-format.ts';
import { TYPE_CHECKPOINT, checkHeader, scanFrames, type Checkpoint, type LogKeys } from './format.ts';

export interface ExportRequest {
  logPath: string;
  /** Where to write (created exclusively, never an existing file). */
  tempPath: string;
  keys: LogKeys;
  /** What the log held when the export was asked for: the file must show exactly this. */
  expect: { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string };
  exportedAt: string;
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

function run(request: ExportRequest, post: (m: ExportMessage) => void): void {
  const bytes = readFileSync(request.logPath);
  const header = checkHeader(bytes, request.keys);
  if (!header.ok) throw new Stop('broken', `log header: ${header.reason}`);
  const fd = openSync(request.tempPath, 'wx', 0o600);
  const out = new RowWriter(fd);
  try {
    out.text(BOM + exportHeaderLines({ ...request.expect, exportedAt: new Date(request.exportedAt) }).join('\r\n') + '\r\n');
    const total = request.expect.records;
    let prev = GENESIS;
    let seq = 0;
    let done = 0;
    const scan = scanFrames(bytes, request.keys, header.fileId, (f) => {
      if (!f.hashOk || f.plaintext === null) throw new Stop('broken', `frame ${String(f.index)} does not verify`);
      if (f.type === TYPE_CHECKPOINT) {
        const cp = JSON.parse(f.plaintext.toString('utf8')) as Checkpoint;
        prev = cp.head;
        seq = cp.pruned_count;
        return;
      }
      // The plaintext is prev (64 hex) + "\n" + the record's canonical JSON; its SHA-256 is the chain hash.
      if (f.plaintext.toString('latin1', 0, 64) !== prev) throw new Stop('broken', `record ${String(seq)} does not chain`);
      const record = JSON.parse(f.plaintext.toString('utf8', 65)) as HistoryRecord;
      if (record.seq !== seq) throw new Stop('broken', `record ${String(seq)} out of sequence`);
      const h = hash('sha256', f.plaintext, 'hex');
      // The row exportRow (export-format.ts) makes: the readable columns, prev, hash, then the JSON as hashed.
      out.text(`${csvRow(readable(record))},${prev},${h},`);
      out.field(f.plaintext, 65, f.plaintext.length);
      out.text('\r\n');
      prev = h;
      seq++;
      done++;
      out.flush(FLUSH_BYTES);
      if (done % PROGRESS_EVERY === 0) post({ kind: 'progress', done, total });
    });
    if (scan.framingLost || scan.torn) throw new Stop('broken', 'the log ends in damage');
    // The header promised what the log held when asked: a file that changed since (or differs) is not exported.
    if (done !== total || prev !== request.expect.head) throw new Stop('changed', `the log holds ${String(done)} records ending in ${prev}`);
    out.flush();
    fsyncSync(fd);
    post({ kind: 'progress', done, total });
  } finally {
    closeSync(fd);
  }
  post({ kind: 'done', bytes: out.written });
}

parentPort?.once('message', (request: ExportRequest) => {
  const port = parentPort;
  if (!port) return;
  const post = (m: ExportMessage) => port.postMessage(m);
  try {
    run(request, post);
  } catch (error) {
    if (error instanceof Stop) post({ kind: 'error', reason: error.reason, message: error.message });
    else {
      const e = error as NodeJS.ErrnoException;
      post({ kind: 'error', reason: 'io', message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) });
    }
  }
});
