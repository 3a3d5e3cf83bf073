// Streams the package once into its encrypted spool (G1): resumes with Range after a dropped connection or a restart while the ticket is unspent, bounded, and checks the bytes against what the platform announced.
//
// The spool (download-spool.ts) checkpoints what was written, so the next run's first request already asks for the
// rest; the ticket is spent only when the last byte is handed over, so nothing here may give up on a package that
// could still be resumed, and nothing may accept one that changed between attempts.
import { statfs } from 'node:fs/promises';
import { AppFailure } from '../../contract/errors.ts';
import type { Vault } from '../vault/index.ts';
import { abortable, checkCancelled, downloadFailure, DownloadErrorCode, formatBytes, isErrno } from './download-errors.ts';
import { discardSpool, EncryptedSpool, type SpoolAnnounced } from './download-spool.ts';
import { requestPackage, type PlatformFetcher } from './download-transport.ts';

/** HKDF purpose of the spool's key (vault.deriveKey): spools are protected like the vault's own keys. */
const SPOOL_KEY_PURPOSE = 'download-spool';

/** How long the body may stall before what arrived is written and checkpointed (a crash then loses none of it). */
const IDLE_CHECKPOINT_MS = 1000;

export interface ResumeLimits {
  /** Connections that may drop and be resumed before giving up. */
  maxResumes: number;
  /** Largest package accepted. */
  maxBytes: number;
}

export interface SpoolDeps {
  platform: PlatformFetcher;
  vault: Vault;
  spoolDir: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  freeSpace?: (dir: string) => Promise<number | null>;
}

/** The transaction's spool, with whatever an earlier run checkpointed in it. */
export async function openSpool(deps: Pick<SpoolDeps, 'vault' | 'spoolDir'>, txId: string): Promise<EncryptedSpool> {
  const key = deps.vault.deriveKey(SPOOL_KEY_PURPOSE);
  try {
    return await EncryptedSpool.openFor(deps.spoolDir, key, txId);
  } catch (error) {
    if (isErrno(error, 'ENOSPC')) throw downloadFailure(DownloadErrorCode.DISK_FULL, 'ENOSPC', error);
    throw error;
  }
}

/** Removes the transaction's spool (its package is kept, or its ticket is spent). */
export async function discardDownloadSpool(deps: Pick<SpoolDeps, 'vault' | 'spoolDir'>, txId: string): Promise<void> {
  await discardSpool(deps.spoolDir, deps.vault.deriveKey(SPOOL_KEY_PURPOSE), txId);
}

/**
 * Fills `spool` with the whole package: from where an earlier run's checkpoint stopped, over as many dropped
 * connections as `limits.maxResumes` allows. Resolves with what the platform announced and the SHA-256 of every
 * byte; `spaceChecked` says the transaction's status already told the size and the disk was checked for it.
 */
export async function fetchIntoSpool(
  txId: string,
  deps: SpoolDeps,
  spool: EncryptedSpool,
  limits: ResumeLimits,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number, total: number | null, resumes: number) => void,
  spaceChecked: boolean,
): Promise<{ announced: SpoolAnnounced; digest: string }> {
  const sleep = deps.sleep ?? abortable;
  // An earlier run's checkpoint: the first request already asks for the rest (G1: the ticket is not spent yet).
  let announced: SpoolAnnounced | null = spool.announced;
  let resumes = 0;

  for (;;) {
    checkCancelled(signal);
    const from = spool.size;
    let response;
    try {
      response = await requestPackage(deps.platform, txId, announced !== null && from > 0 ? from : null);
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      // No answer at all: a dropped connection before the headers; resume if allowed.
      resumes += 1;
      if (resumes > limits.maxResumes) throw downloadFailure(DownloadErrorCode.INTERRUPTED, `${resumes - 1}×`, error);
      await sleep(250 * resumes, signal);
      continue;
    }

    let start = 0;
    if (response.kind === 'whole') {
      const { length } = response;
      if (length > limits.maxBytes) throw downloadFailure(DownloadErrorCode.TOO_LARGE, formatBytes(length));
      if (announced !== null && (announced.total !== length || announced.sha256 !== response.sha256)) {
        throw downloadFailure(DownloadErrorCode.SIZE_MISMATCH, 'the package changed between attempts');
      }
      announced = { status: response.status, total: length, sha256: response.sha256 };
      spool.announce(announced);
      if (from > 0) {
        // The server ignored Range and sent everything again: start over.
        await spool.restart();
      }
      // Checked here only when the status did not tell the size: any await before reading risks losing what is buffered.
      if (!spaceChecked) await ensureSpace(deps, length);
    } else {
      // Asked only with a checkpoint (announced is set): the rest must be exactly what is missing.
      if (announced === null || response.first !== from || response.total !== announced.total || response.last !== announced.total - 1) {
        throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'Content-Range');
      }
      start = from;
    }

    const total = announced.total;
    const reader = response.body.getReader();
    const onAbort = () => void reader.cancel().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    let dropped: unknown = null;
    try {
      onBytes(start, total, resumes);
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await readOrCheckpoint(reader, spool);
        } catch (error) {
          dropped = error;
          break;
        }
        checkCancelled(signal);
        if (chunk.done) break;
        if (spool.size + chunk.value.length > total) throw downloadFailure(DownloadErrorCode.SIZE_MISMATCH, `more than ${total} bytes`);
        await diskFull(spool.append(chunk.value));
        onBytes(spool.size, total, resumes);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reader.releaseLock();
    }
    checkCancelled(signal);
    // The spool writes behind the download: a failed last write (a full disk) shows here.
    await diskFull(spool.flush());
    if (spool.size === total) return { announced, digest: await spool.digest() };
    // Short body or a dropped connection: the ticket is not spent until the last byte, so resume (bounded).
    resumes += 1;
    if (resumes > limits.maxResumes) throw downloadFailure(DownloadErrorCode.INTERRUPTED, `${resumes - 1}×`, dropped ?? undefined);
    await sleep(Math.min(250 * resumes, 2000), signal);
  }
}

/**
 * The next chunk of the body; when it takes longer than IDLE_CHECKPOINT_MS, what was gathered is written and
 * checkpointed meanwhile (a slow or stalled connection then loses nothing to a crash).
 */
async function readOrCheckpoint(reader: ReadableStreamDefaultReader<Uint8Array>, spool: EncryptedSpool): Promise<ReadableStreamReadResult<Uint8Array>> {
  const next = reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<'idle'>((resolve) => {
    timer = setTimeout(() => resolve('idle'), IDLE_CHECKPOINT_MS);
  });
  try {
    const first = await Promise.race([next, idle]);
    if (first !== 'idle') return first;
  } finally {
    clearTimeout(timer);
  }
  try {
    await diskFull(spool.flush());
  } catch (error) {
    next.catch(() => undefined);
    throw error;
  }
  return next;
}

/** A spool write's ENOSPC as DOWNLOAD_DISK_FULL; other errors as they are. */
async function diskFull(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (isErrno(error, 'ENOSPC')) throw downloadFailure(DownloadErrorCode.DISK_FULL, 'ENOSPC', error);
    throw error;
  }
}

async function defaultFreeSpace(dir: string): Promise<number | null> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Refuses, before the one-time download starts, a package the disk cannot hold twice (spool and vault copy). */
export async function ensureSpace(deps: Pick<SpoolDeps, 'spoolDir' | 'freeSpace'>, total: number): Promise<void> {
  const free = await (deps.freeSpace ?? defaultFreeSpace)(deps.spoolDir);
  // The spool and the vault copy coexist for a moment; keep a margin for the index and the history.
  const needed = 2 * total + 16 * 1024 ** 2;
  if (free !== null && free < needed) throw downloadFailure(DownloadErrorCode.DISK_FULL, `${formatBytes(free)} < ${formatBytes(needed)}`);
}
