// The streamed CSV export (G14, G15): the rows are built on a worker thread from the log file (export-worker.ts) and
// written to a temporary file beside the destination, which is renamed into place only when the whole chain checked
// out and matched the log as it stood. Progress is reported as rows go; a cancel stops the worker and leaves nothing.
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { nodeVaultFs, removeQuietly, tempPathFor } from '../vault/fsio.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';
import type { ExportMessage, ExportRequest, PartStart } from './export-worker.ts';
import { PARALLEL_MIN_BYTES, readShared } from './frame-batch.ts';
import type { HistoryLog } from './log.ts';

/** Beside this module when running from source; the bundle's own entry `history-export-worker.js` in the built app. */
export function defaultExportWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./export-worker.ts', import.meta.url) : new URL('./history-export-worker.js', import.meta.url);
}

export interface ExportFileOptions {
  exportedAt?: Date;
  signal?: AbortSignal;
  /** Records written so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
  workerUrl?: URL;
  /** The worker that checks and formats a large log's segments beside the export (by default a second export worker), or null. */
  partWorker?: URL | null;
}

/** Writes the whole history's CSV (the same bytes as exportCsv) to `dest`; resolves with its size once it is in place. */
export async function exportCsvFile(log: HistoryLog, dest: string, options: ExportFileOptions = {}): Promise<{ bytes: number; head: string; records: number }> {
  const plan = log.exportPlan();
  if (options.signal?.aborted) throw historyFailure(HistoryErrorCode.EXPORT_CANCELLED);
  await nodeVaultFs.mkdir(dirname(dest));
  const tempPath = tempPathFor(dest);
  const workerUrl = options.workerUrl ?? defaultExportWorkerUrl();
  const partUrl = options.partWorker === undefined ? workerUrl : options.partWorker;
  const handle = await open(plan.logPath, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw historyFailure(HistoryErrorCode.EXPORT_FAILED, undefined, error);
  }
  // A large log's segments are shared with a part started here, beside the export worker, so both start up together
  // (started by the export worker, the part was the last to finish by about its start-up time).
  const part = partUrl !== null && size >= PARALLEL_MIN_BYTES ? startPart(partUrl) : null;
  const worker = new Worker(workerUrl);
  let bytes: number;
  try {
    // The log is read here, into memory the workers share, while they start (asynchronous reads: this thread stays
    // free); read by the export worker, the read came after its start-up.
    let image: Buffer;
    try {
      image = await readShared(handle, size);
    } finally {
      await handle.close();
    }
    if (options.signal?.aborted) throw historyFailure(HistoryErrorCode.EXPORT_CANCELLED);
    const request: ExportRequest = {
      ...plan,
      image: image.buffer as SharedArrayBuffer,
      imageLength: image.length,
      tempPath,
      exportedAt: (options.exportedAt ?? new Date()).toISOString(),
      partPort: part?.port ?? null,
    };
    bytes = await new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        void worker.terminate();
        reject(historyFailure(HistoryErrorCode.EXPORT_CANCELLED));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (fn: () => void) => {
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      worker.on('message', (m: ExportMessage) => {
        if (m.kind === 'progress') options.onProgress?.(m.done, m.total);
        else if (m.kind === 'done') settle(() => resolve(m.bytes));
        else {
          const code =
            m.reason === 'broken'
              ? HistoryErrorCode.BROKEN
              : m.code === 'ENOSPC' || m.code === 'EDQUOT'
                ? HistoryErrorCode.EXPORT_DISK_FULL
                : HistoryErrorCode.EXPORT_FAILED;
          settle(() => reject(historyFailure(code, m.message)));
        }
      });
      worker.once('error', (error) => settle(() => reject(historyFailure(HistoryErrorCode.EXPORT_FAILED, undefined, error))));
      worker.once('exit', (code) => settle(() => reject(historyFailure(HistoryErrorCode.EXPORT_FAILED, `worker exited (${String(code)})`))));
      try {
        worker.postMessage(request, part ? [part.port] : []);
      } catch (error) {
        // A part whose worker already failed (its module missing, say) leaves a closed port that cannot be sent:
        // the export worker then works alone.
        if (part === null) throw error;
        worker.postMessage({ ...request, partPort: null });
      }
    });
    await rename(tempPath, dest);
    await nodeVaultFs.syncDir(dirname(dest));
  } catch (error) {
    await worker.terminate();
    await part?.worker.terminate();
    await removeQuietly(nodeVaultFs, tempPath);
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw historyFailure(HistoryErrorCode.EXPORT_DISK_FULL, undefined, error);
    throw error instanceof Error && 'message_zh' in error ? error : historyFailure(HistoryErrorCode.EXPORT_FAILED, undefined, error);
  }
  await worker.terminate();
  await part?.worker.terminate();
  return { bytes, head: plan.expect.head, records: plan.expect.records };
}

/** A part worker and the port the export worker reaches it on; null if it cannot start (the export then works alone). */
function startPart(url: URL): { worker: Worker; port: MessagePort } | null {
  let worker: Worker;
  try {
    worker = new Worker(url);
  } catch {
    return null;
  }
  // A part that fails (its module missing, say) closes its port, which the export worker notices; nothing to do here.
  worker.on('error', () => undefined);
  const { port1, port2 } = new MessageChannel();
  const start: PartStart = { kind: 'part-port', port: port2 };
  worker.postMessage(start, [port2]);
  return { worker, port: port1 };
}
