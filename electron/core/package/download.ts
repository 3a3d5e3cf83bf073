// The one-time download (G1, ARCHITECTURE §5–§6): follow the transaction while it prepares, stream the package once (resuming with Range),
// check its size and Repr-Digest, verify it and encrypt it into the vault in one streaming pass, then write the history (G14).
//
// Bytes on their way: HTTP body → SHA-256 (for Repr-Digest) → EncryptedSpool (AES-CTR temp file, see download-spool.ts)
// → package verifier (random access over the spool, one pass) → its sink → vault.store (AES-GCM blobs). Nothing is held
// whole in memory and no plain text touches the disk. The vault learns the per-provider verdicts only after the pass
// (store's `meta` is a function), and a pass that is not storable makes the file iterator throw, so the vault removes
// every blob it wrote: a package is kept only when verified, and the history is written only after it is kept.
//
// The parts, each in its own file: download-transport.ts (the HTTP exchanges), download-resume.ts (Range resumes
// into the spool), download-spool.ts (the encrypted, checkpointed temp file), into-vault.ts (verification hand-off
// to the vault, shared with import), download-history.ts (the records), download-errors.ts (the named failures).
import { AppFailure } from '../../contract/errors.ts';
import type { Clock } from '../ports.ts';
import type { PackageSummary, Vault } from '../vault/index.ts';
import { memoryPacer } from '../memory-pacer.ts';
import { abortable, checkCancelled, downloadFailure, DownloadErrorCode, formatBytes, isErrno } from './download-errors.ts';
import { failureRows, historyRows, writeHistory, type HistorySink, type RecordedJob } from './download-history.ts';
import { discardDownloadSpool, ensureSpace, fetchIntoSpool, openSpool, type ResumeLimits } from './download-resume.ts';
import { spoolReader } from './download-spool-reader.ts';
import { fetchTransactionStatus, type PlatformFetcher } from './download-transport.ts';
import { providersMeta, verifyIntoVault } from './into-vault.ts';
import type { PackageVerdict, VerifyOptions } from './verify.ts';

// ---------------------------------------------------------------------------------------------
// Types

/** What a consented self-download needs to be fetched and recorded. */
export type DownloadJob = RecordedJob;

export interface DownloadLimits extends ResumeLimits {
  /** Longest total wait while the platform answers 429. */
  maxWaitMs: number;
  /** Longest single wait, whatever Retry-After says. */
  maxRetryAfterMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: Readonly<DownloadLimits> = Object.freeze({
  maxWaitMs: 10 * 60_000,
  maxRetryAfterMs: 30_000,
  maxResumes: 5,
  maxBytes: 2 * 1024 ** 3,
});

export interface DownloadDeps {
  platform: PlatformFetcher;
  vault: Vault;
  history: HistorySink | null;
  /** Where the encrypted spool lives while the package is in transit (inside the profile folder). */
  spoolDir: string;
  /** PEM trust anchors the providers' certificates must chain to (the platform's published anchors). */
  trustAnchors: readonly string[];
  clock: Clock;
  limits?: Partial<DownloadLimits>;
  /** Waits; injectable so tests need not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic milliseconds for rates; injectable for tests. */
  monotonic?: () => number;
  /** Free bytes where the spool and vault live; null when unknown. Default: statfs. */
  freeSpace?: (dir: string) => Promise<number | null>;
  /** Also the signer bindings, intermediates and what the signed content must agree with (this transaction, this person). */
  verifyOptions?: Pick<VerifyOptions, 'now' | 'limits' | 'checkCrc32' | 'signers' | 'intermediates' | 'expect' | 'keepUnverified'>;
}

export interface DownloadProgress {
  state: 'waiting' | 'downloading' | 'verifying';
  bytes: number;
  total: number | null;
  /** Bytes per second over the last few seconds; null until measurable. */
  rate: number | null;
  etaSeconds: number | null;
  retryAfterSeconds: number | null;
  resumes: number;
}

export interface DownloadOutcome {
  package: PackageSummary;
  verdict: PackageVerdict | null;
  /** 200 complete, 403 partly failed; null when the package was already in the vault (nothing was asked). */
  platformStatus: 200 | 403 | null;
  /** The package was already in the vault from an earlier complete delivery (G1: never asked again). */
  alreadyStored: boolean;
  resumes: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// The download

/** Bytes per second over a sliding window of recent samples. */
class RateMeter {
  readonly #samples: { t: number; bytes: number }[] = [];
  readonly #now: () => number;
  constructor(now: () => number) {
    this.#now = now;
  }
  add(bytes: number): void {
    const t = this.#now();
    this.#samples.push({ t, bytes });
    while (this.#samples.length > 2 && t - (this.#samples[0]?.t ?? t) > 3000) this.#samples.shift();
  }
  rate(): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.t - first.t < 200) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

/**
 * Downloads a consented self-download once and keeps it verified in the vault (G1, G9). A package already in the
 * vault for this transaction is returned without asking the platform anything. Throws an AppFailure with a
 * DOWNLOAD_*, PACKAGE_* or VAULT_* code; history records are written for every outcome that is final
 * (stored, or lost with the ticket spent, or refused by the platform for good), never for a cancel.
 */
export async function downloadPackage(
  job: DownloadJob,
  deps: DownloadDeps,
  options: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void } = {},
): Promise<DownloadOutcome> {
  const { signal } = options;
  const limits: DownloadLimits = { ...DEFAULT_DOWNLOAD_LIMITS, ...deps.limits };
  const sleep = deps.sleep ?? abortable;
  const monotonic = deps.monotonic ?? (() => performance.now());

  const existing = (await deps.vault.list()).find((p) => p.meta.source === 'download' && p.meta.txId === job.txId);
  if (existing) {
    // A crash between keeping the package and removing its spool leaves the spool behind: it is no longer needed.
    await discardDownloadSpool(deps, job.txId).catch(() => undefined);
    return { package: existing, verdict: null, platformStatus: null, alreadyStored: true, resumes: 0, bytes: existing.totalSize };
  }

  let progress: DownloadProgress = { state: 'waiting', bytes: 0, total: null, rate: null, etaSeconds: null, retryAfterSeconds: null, resumes: 0 };
  let lastReport = -Infinity;
  const report = (next: Partial<DownloadProgress>, force = false): void => {
    const changed = (next.state !== undefined && next.state !== progress.state) || (next.resumes !== undefined && next.resumes !== progress.resumes);
    progress = { ...progress, ...next };
    const t = monotonic();
    if (!force && !changed && t - lastReport < 100) return;
    lastReport = t;
    options.onProgress?.(progress);
  };
  report({}, true);

  const recordFailure = async (code: string, datasetCodes?: Map<string, string>): Promise<void> => {
    await writeHistory(deps.history, deps.clock, job, failureRows(job, code, datasetCodes));
  };
  /**
   * 201 with no copy here: the platform delivered this package once (an earlier run quit before keeping it, or it
   * went elsewhere). The transmission happened, so the history says so, unless it already holds this transaction.
   */
  const recordDeliveredElsewhere = async (): Promise<void> => {
    const records = deps.history?.records?.();
    if (records !== undefined && !records.some((r) => r.tx_id === job.txId)) await recordFailure('201');
  };

  // 1. Follow the transaction while the platform prepares (429 + Retry-After), bounded.
  const waitedFrom = monotonic();
  let spaceChecked = false;
  for (;;) {
    checkCancelled(signal);
    const status = await fetchTransactionStatus(deps.platform, job.txId, deps.clock.now());
    if (status.kind === 'preparing') {
      const waited = monotonic() - waitedFrom;
      if (waited >= limits.maxWaitMs) throw downloadFailure(DownloadErrorCode.STILL_PREPARING, `${Math.round(waited / 1000)} s`);
      const after = status.retryAfterSeconds ?? 1;
      const ms = Math.min(Math.max(after * 1000, 250), limits.maxRetryAfterMs, limits.maxWaitMs - waited);
      report({ state: 'waiting', retryAfterSeconds: Math.ceil(ms / 1000) }, true);
      await sleep(ms, signal);
      continue;
    }
    if (status.kind === 'ready') {
      // The status tells the size: refuse for lack of space before the one-time download starts, not after.
      if (status.size !== null) {
        if (status.size > limits.maxBytes) throw downloadFailure(DownloadErrorCode.TOO_LARGE, formatBytes(status.size));
        await ensureSpace(deps, status.size);
        spaceChecked = true;
      }
      break;
    }
    if (status.kind === 'delivered') {
      await recordDeliveredElsewhere();
      throw downloadFailure(DownloadErrorCode.ALREADY_DELIVERED);
    }
    if (status.kind === 'expired') {
      await recordFailure('410');
      throw downloadFailure(DownloadErrorCode.EXPIRED);
    }
    await recordFailure('504', status.codes);
    throw downloadFailure(DownloadErrorCode.PROVIDERS_FAILED, [...status.codes.entries()].map(([id, c]) => `${id}: ${c}`).join(', ') || '504');
  }

  // 2. Stream the package once into the encrypted spool, resuming with Range while the ticket is not spent.
  const spool = await openSpool(deps, job.txId);
  const meter = new RateMeter(monotonic);
  const pace = memoryPacer();
  let ticketSpent = false;
  let keepSpool = false;
  try {
    const { announced, digest } = await fetchIntoSpool(job.txId, deps, spool, limits, signal, (bytes, total, resumes) => {
      pace(bytes);
      meter.add(bytes);
      const rate = meter.rate();
      report({ state: 'downloading', bytes, total, rate, etaSeconds: rate !== null && rate > 0 && total !== null ? Math.max(0, (total - bytes) / rate) : null, retryAfterSeconds: null, resumes });
    }, spaceChecked);
    // Every byte arrived: the platform has spent the ticket, whatever happens next.
    ticketSpent = true;
    if (announced.sha256 !== null && announced.sha256 !== digest) throw downloadFailure(DownloadErrorCode.DIGEST_MISMATCH);
    report({ state: 'verifying', bytes: spool.size, total: announced.total, etaSeconds: null }, true);

    // 3. Verify and encrypt into the vault in one pass.
    const receivedAt = deps.clock.now().toISOString();
    const verified = await verifyIntoVault(spoolReader(spool), {
      vault: deps.vault,
      signal,
      // CRC-32 adds nothing here: the whole body matched Repr-Digest (SHA-256) and every data file is checked against
      // its SHA-256 in the signed manifest; skipping the JS CRC pass saves a full read of the data (pipeline bench).
      // The ticket is spent once the package is delivered: an intact part that is not verified is kept, labelled with why (never as verified).
      verify: { trustAnchors: deps.trustAnchors, checkCrc32: false, keepUnverified: true, ...deps.verifyOptions },
      meta: (verdict) => ({
        service: { id: job.service.id, name: job.service.name.zh },
        source: 'download',
        txId: job.txId,
        receivedAt,
        providers: providersMeta(verdict, job.datasets),
      }),
    });
    if (verified.stored === null) {
      const first = verified.verdict.error;
      await recordFailure(DownloadErrorCode.VERIFICATION_FAILED);
      throw downloadFailure(DownloadErrorCode.VERIFICATION_FAILED, first === null ? '' : first.message_zh + ' / ' + first.message_en);
    }

    // 4. Only now, with the package durable, the history (G14): one record per dataset.
    await writeHistory(deps.history, deps.clock, job, historyRows(job, verified.verdict));
    return { package: verified.stored, verdict: verified.verdict, platformStatus: announced.status, alreadyStored: false, resumes: progress.resumes, bytes: spool.size };
  } catch (error) {
    const failure = error instanceof AppFailure ? error : isErrno(error, 'ENOSPC') ? downloadFailure(DownloadErrorCode.DISK_FULL, 'ENOSPC', error) : error;
    // With the ticket spent, a package that could not be kept is lost for good: the history says so (not for a cancel).
    const alreadyRecorded = failure instanceof AppFailure && failure.code === DownloadErrorCode.VERIFICATION_FAILED;
    if (ticketSpent && !alreadyRecorded && !(signal?.aborted ?? false) && failure instanceof AppFailure) {
      await recordFailure(failure.code).catch(() => undefined);
    }
    if (!ticketSpent && failure instanceof AppFailure && failure.code === DownloadErrorCode.ALREADY_DELIVERED) await recordDeliveredElsewhere().catch(() => undefined);
    // While the ticket is unspent, what arrived is kept for the next attempt when the app quits (suspend) or the
    // connection kept dropping; a cancel, or any other failure, removes it.
    keepSpool = !ticketSpent && ((signal?.aborted === true && signal.reason === DOWNLOAD_SUSPEND) || (failure instanceof AppFailure && failure.code === DownloadErrorCode.INTERRUPTED));
    if (signal?.aborted && !(failure instanceof AppFailure && failure.code.endsWith('_CANCELLED'))) throw downloadFailure(DownloadErrorCode.CANCELLED, '', error);
    throw failure;
  } finally {
    if (keepSpool) await spool.suspend().catch(() => spool.dispose());
    else await spool.dispose();
  }
}

/** The abort reason that suspends a download (the app quits): its spool is kept, so the next run resumes it. */
export const DOWNLOAD_SUSPEND = Symbol('download suspended');

