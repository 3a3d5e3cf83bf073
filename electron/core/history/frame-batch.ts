// Opening a large history log on two threads: frame-worker.ts authenticates and decrypts frames while this
// (opening) thread parses the records already received. The messages between the two, and the opening side.
import type { KeyObject } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { FrameScan } from './format.ts';

/** Logs smaller than this are checked on one thread: a worker's start-up would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/** Frames per message: large enough that messaging costs nothing, small enough that parsing starts early. */
export const BATCH_FRAMES = 2048;
/** A batch's first buffer for bodies (it grows when the bodies are larger than usual). */
export const BATCH_BYTES = BATCH_FRAMES * 1024;
/** Per frame in a batch: index, offset, type, hashOk (0/1), body length (-1: did not authenticate). */
export const META_FIELDS = 5;

export interface ScanRequest {
  bytes: ArrayBufferLike;
  byteOffset: number;
  length: number;
  enc: KeyObject;
  fileId: Uint8Array;
}

export type WorkerMessage =
  | { kind: 'batch'; count: number; meta: Int32Array; data: ArrayBufferLike; dataOffset: number; dataLength: number }
  | { kind: 'done'; scan: Omit<FrameScan, 'lastHash'> & { lastHash: Uint8Array | null } }
  | { kind: 'error'; message: string };

/** A frame as the chain reader needs it: the frame checks' results, the body, and (when known) the body's SHA-256. */
export interface CheckedFrame {
  index: number;
  offset: number;
  type: number;
  hashOk: boolean;
  plaintext: Buffer | null;
  /** SHA-256 of the plaintext (hex), when the scanner computed it already. */
  bodyHash: string | null;
}

/** Starts a frame worker (before the log is read, so its start-up overlaps the read), or null if it cannot start. */
export function startFrameWorker(workerUrl: URL): Worker | null {
  try {
    const worker = new Worker(workerUrl);
    // An 'error' before scan() listens (e.g. the module is missing) must not become an uncaught exception.
    worker.on('error', () => undefined);
    return worker;
  } catch {
    return null;
  }
}

/**
 * Reads the first `size` bytes of an open file; into shared memory (the default), so the worker sees the same bytes
 * without a copy.
 */
export async function readShared(handle: FileHandle, size: number, shared = true): Promise<Buffer> {
  const bytes = shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    const { bytesRead } = await handle.read(bytes, at, size - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}

/**
 * Runs scanFrames for `bytes` in `worker` (from startFrameWorker) and hands each frame to `visit` on this
 * thread, in order, as batches arrive. Terminates the worker when done. Rejects if the worker fails; the caller
 * then scans on its own thread.
 */
export function scanFramesInWorker(
  worker: Worker,
  bytes: Buffer,
  enc: KeyObject,
  fileId: Buffer,
  visit: (frame: CheckedFrame) => void,
): Promise<FrameScan> {
  return new Promise<FrameScan>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        if (message.kind === 'batch') {
          const data = Buffer.from(message.data, message.dataOffset, message.dataLength);
          let at = 0;
          for (let i = 0; i < message.count; i++) {
            const m = i * META_FIELDS;
            const len = message.meta[m + 4] ?? -1;
            let plaintext: Buffer | null = null;
            let bodyHash: string | null = null;
            if (len >= 0) {
              bodyHash = data.toString('latin1', at, at + 64);
              plaintext = data.subarray(at + 64, at + 64 + len);
              at += 64 + len;
            }
            visit({
              index: message.meta[m] ?? 0,
              offset: message.meta[m + 1] ?? 0,
              type: message.meta[m + 2] ?? 0,
              hashOk: message.meta[m + 3] === 1,
              plaintext,
              bodyHash,
            });
          }
        } else if (message.kind === 'done') {
          const s = message.scan;
          finish(() => resolve({ ...s, lastHash: s.lastHash && Buffer.from(s.lastHash) }));
        } else {
          finish(() => reject(new Error(message.message)));
        }
      } catch (error) {
        finish(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    });
    worker.once('error', (error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))));
    worker.once('exit', (code) => finish(() => reject(new Error(`history frame worker exited (${String(code)})`))));
    const request: ScanRequest = { bytes: bytes.buffer, byteOffset: bytes.byteOffset, length: bytes.length, enc, fileId: new Uint8Array(fileId) };
    worker.postMessage(request);
  });
}
