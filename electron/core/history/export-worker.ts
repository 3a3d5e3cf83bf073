// Worker-thread side of the streamed CSV export (export-file.ts): reads the log file itself, authenticates, decrypts and
// chains every frame as open does, and writes the export's rows to the temporary file as it goes, reporting progress.
// The main thread only starts it, relays progress, and renames the file into place: 100k records never block it.
import { hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { BOM } from './csv.ts';
import { exportHeaderLines, exportRow } from './export-format.ts';
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

function run(request: ExportRequest, post: (m: ExportMessage) => void): void {
  const bytes = readFileSync(request.logPath);
  const header = checkHeader(bytes, request.keys);
  if (!header.ok) throw new Stop('broken', `log header: ${header.reason}`);
  const fd = openSync(request.tempPath, 'wx', 0o600);
  let written = 0;
  try {
    let pending = BOM + exportHeaderLines({ ...request.expect, exportedAt: new Date(request.exportedAt) }).join('\r\n') + '\r\n';
    const flush = () => {
      const chunk = Buffer.from(pending, 'utf8');
      let at = 0;
      while (at < chunk.length) at += writeSync(fd, chunk, at, chunk.length - at);
      written += chunk.length;
      pending = '';
    };
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
      const json = f.plaintext.toString('utf8', 65);
      const record = JSON.parse(json) as HistoryRecord;
      if (record.seq !== seq) throw new Stop('broken', `record ${String(seq)} out of sequence`);
      const h = hash('sha256', f.plaintext, 'hex');
      pending += exportRow(record, prev, h, json) + '\r\n';
      prev = h;
      seq++;
      done++;
      if (pending.length >= FLUSH_BYTES) flush();
      if (done % PROGRESS_EVERY === 0) post({ kind: 'progress', done, total });
    });
    if (scan.framingLost || scan.torn) throw new Stop('broken', 'the log ends in damage');
    // The header promised what the log held when asked: a file that changed since (or differs) is not exported.
    if (done !== total || prev !== request.expect.head) throw new Stop('changed', `the log holds ${String(done)} records ending in ${prev}`);
    flush();
    fsyncSync(fd);
    post({ kind: 'progress', done, total });
  } finally {
    closeSync(fd);
  }
  post({ kind: 'done', bytes: written });
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
