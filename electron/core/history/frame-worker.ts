// Worker-thread side of opening a large history log (log.ts): walks the frames with scanFrames — frame hash,
// AES-GCM authentication and decryption, and each record body's SHA-256 (its public chain hash) — and streams
// the results back in batches, while the opening thread parses the records it has received so far.
// Every check still happens; they only run on another core. Nothing here touches the file system.
import { hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { scanFrames, type LogKeys } from './format.ts';
import { BATCH_BYTES, BATCH_FRAMES, META_FIELDS, type ScanRequest, type WorkerMessage } from './frame-batch.ts';

function run(request: ScanRequest): void {
  const port = parentPort;
  if (!port) return;
  const bytes = Buffer.from(request.bytes, request.byteOffset, request.length);
  const keys = { enc: request.enc } as LogKeys;
  let meta = new Int32Array(BATCH_FRAMES * META_FIELDS);
  // Bodies are about as large as their frames; the batch buffer grows if a batch holds larger ones.
  let data = Buffer.allocUnsafeSlow(BATCH_BYTES);
  let size = 0;
  let n = 0;
  const flush = () => {
    if (n === 0) return;
    const message: WorkerMessage = { kind: 'batch', count: n, meta, data: data.buffer, dataOffset: 0, dataLength: size };
    port.postMessage(message, [meta.buffer, data.buffer]);
    meta = new Int32Array(BATCH_FRAMES * META_FIELDS);
    data = Buffer.allocUnsafeSlow(BATCH_BYTES);
    size = 0;
    n = 0;
  };
  const scan = scanFrames(bytes, keys, Buffer.from(request.fileId), (f) => {
    const m = n * META_FIELDS;
    meta[m] = f.index;
    meta[m + 1] = f.offset;
    meta[m + 2] = f.type;
    meta[m + 3] = f.hashOk ? 1 : 0;
    if (f.plaintext === null) {
      meta[m + 4] = -1;
    } else {
      const need = size + 64 + f.plaintext.length;
      if (need > data.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(need, data.length * 2));
        data.copy(bigger, 0, 0, size);
        data = bigger;
      }
      // The body's SHA-256 (its public chain hash) as 64 hex characters first, then the body.
      data.write(hash('sha256', f.plaintext, 'hex'), size, 'latin1');
      f.plaintext.copy(data, size + 64);
      meta[m + 4] = f.plaintext.length;
      size = need;
    }
    n++;
    if (n === BATCH_FRAMES) flush();
  });
  flush();
  const done: WorkerMessage = { kind: 'done', scan: { ...scan, lastHash: scan.lastHash && new Uint8Array(scan.lastHash) } };
  port.postMessage(done);
}

parentPort?.once('message', (request: ScanRequest) => {
  try {
    run(request);
  } catch (error) {
    const failed: WorkerMessage = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(failed);
  }
});
