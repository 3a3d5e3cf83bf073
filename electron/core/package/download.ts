// The one-time download (G1, ARCHITECTURE §5–§6): follow the transaction while it prepares, stream the package once (resuming with Range),
// check its size and Repr-Digest, verify it and encrypt it into the vault in one streaming pass, then write the history (G14).
//
// Bytes on their way: HTTP body → SHA-256 (for Repr-Digest) → EncryptedSpool (AES-CTR temp file, see download-spool.ts)
// → package verifier (random access over the spool, one pass) → its sink → vault.store (AES-GCM blobs). Nothing is held
// whole in memory and no plain text touches the disk. The vault learns the per-provider verdicts only after the pass
// (store's `meta` is a function), and a pass that is not storable makes the file iterator throw, so the vault removes
// every blob it wrote: a package is kept only when verified, and the history is written only after it is kept.
import { statfs } from 'node:fs/promises';
import { AppFailure, AppErrorSchema, type AppError } from '../../contract/errors.ts';
import type { HistoryEntryInput, HistorySubject, LocalizedName } from '../../contract/history.ts';
import { getPackage, type PlatformFetcher } from '../../protocol/client.ts';
import { parseRetryAfterMs } from '../../protocol/headers.ts';
import type { Clock } from '../ports.ts';
import type { PackageMeta, PackageSummary, Vault, VaultEntryInput } from '../vault/index.ts';
import { memoryPacer } from '../memory-pacer.ts';
import { discardSpool, EncryptedSpool, type SpoolAnnounced } from './download-spool.ts';
import { spoolReader } from './download-spool-reader.ts';
import type { PackageSource } from './readers.ts';
import { verifyPackage, type DataFileInfo, type PackageVerdict, type VerifyOptions } from './verify.ts';

// ---------------------------------------------------------------------------------------------
// Named failures

export const DownloadErrorCode = {
  EXPIRED: 'DOWNLOAD_EXPIRED',
  REFUSED: 'DOWNLOAD_REFUSED',
  ALREADY_DELIVERED: 'DOWNLOAD_ALREADY_DELIVERED',
  PROVIDERS_FAILED: 'DOWNLOAD_PROVIDERS_FAILED',
  STILL_PREPARING: 'DOWNLOAD_STILL_PREPARING',
  INTERRUPTED: 'DOWNLOAD_INTERRUPTED',
  SIZE_MISMATCH: 'DOWNLOAD_SIZE_MISMATCH',
  TOO_LARGE: 'DOWNLOAD_TOO_LARGE',
  DIGEST_MISMATCH: 'DOWNLOAD_DIGEST_MISMATCH',
  VERIFICATION_FAILED: 'DOWNLOAD_VERIFICATION_FAILED',
  DISK_FULL: 'DOWNLOAD_DISK_FULL',
  CANCELLED: 'DOWNLOAD_CANCELLED',
  UNEXPECTED_RESPONSE: 'DOWNLOAD_UNEXPECTED_RESPONSE',
} as const;
export type DownloadErrorCode = (typeof DownloadErrorCode)[keyof typeof DownloadErrorCode];

const AGAIN_ZH = '請回到服務目錄重新同意一次，以取得新的下載。';
const AGAIN_EN = 'Go back to the services and consent again to get a new download.';

const texts: Record<DownloadErrorCode, (what: string) => readonly [string, string, boolean]> = {
  DOWNLOAD_EXPIRED: () => [`這份資料包已超過平臺保存期限（準備好後 8 小時），已無法下載。${AGAIN_ZH}`, `This package has passed the platform's time limit (8 hours after it was ready) and can no longer be downloaded. ${AGAIN_EN}`, false],
  DOWNLOAD_REFUSED: () => ['平臺表示您已拒絕這筆交易（205），因此沒有可下載的資料。若要取得資料，請重新同意一次。', 'The platform says you refused this transaction (205), so there is nothing to download. To get the data, consent again.', false],
  DOWNLOAD_ALREADY_DELIVERED: () => [`這份資料包已完整下載過一次（201）；依 MyData 規定每次同意只能下載一次，但這部電腦上找不到保存的副本。${AGAIN_ZH}`, `This package was already downloaded in full once (201); MyData allows one download per consent, and no copy is kept on this computer. ${AGAIN_EN}`, false],
  DOWNLOAD_PROVIDERS_FAILED: (w) => [`所有資料提供者都未能提供資料（${w}），沒有可下載的內容。請稍後重新申請；其他交易不受影響。`, `None of the data providers delivered their data (${w}), so there is nothing to download. Request it again later; other transactions are not affected.`, true],
  DOWNLOAD_STILL_PREPARING: (w) => [`平臺準備資料包的時間過長（已等候 ${w}），已停止等候。交易仍然有效，請稍後在「我的資料」重新開始下載。`, `The platform is taking too long to prepare the package (waited ${w}); waiting stopped. The transaction is still valid: start the download again from My data later.`, true],
  DOWNLOAD_INTERRUPTED: (w) => [`連線多次中斷（${w}），下載未完成。資料包尚未被領取，請確認網路後再試一次，會從中斷處繼續。`, `The connection kept dropping (${w}) and the download did not finish. The package has not been collected yet: check the network and try again; it continues where it stopped.`, true],
  DOWNLOAD_SIZE_MISMATCH: (w) => [`收到的資料大小與平臺宣告的不符（${w}），資料包不予保存。${AGAIN_ZH}`, `The data received does not match the size the platform announced (${w}), so the package was not kept. ${AGAIN_EN}`, false],
  DOWNLOAD_TOO_LARGE: (w) => [`資料包大小（${w}）超過本程式可安全處理的上限，未下載。`, `The package (${w}) is larger than this app can handle safely, so it was not downloaded.`, false],
  DOWNLOAD_DIGEST_MISMATCH: () => [`收到的資料包 SHA-256 雜湊值與平臺宣告的（Repr-Digest）不符：傳輸中可能被竄改或損毀，資料包不予保存。${AGAIN_ZH}`, `The SHA-256 digest of the package received does not match the one the platform announced (Repr-Digest): it may have been altered or damaged in transit, so it was not kept. ${AGAIN_EN}`, false],
  DOWNLOAD_VERIFICATION_FAILED: (w) => [`資料包未通過驗證，未保存任何內容：${w}`, `The package did not pass verification and nothing was kept: ${w}`, false],
  DOWNLOAD_DISK_FULL: (w) => [`磁碟空間不足（${w}），無法下載並保存資料包。請釋出空間後再試一次；資料包尚未被領取。`, `There is not enough disk space (${w}) to download and keep the package. Free some space and try again; the package has not been collected yet.`, true],
  DOWNLOAD_CANCELLED: () => ['下載已取消，未保存任何內容。若資料包尚未完整下載，仍可在有效期限內重新開始。', 'The download was cancelled and nothing was kept. If it had not finished, you can start it again while the package is still valid.', true],
  DOWNLOAD_UNEXPECTED_RESPONSE: (w) => [`平臺的回應不符合預期（${w}），下載未完成。請稍後再試；若持續發生請回報問題。`, `The platform answered unexpectedly (${w}) and the download did not finish. Try again later; report a problem if it keeps happening.`, true],
};

export function downloadFailure(code: DownloadErrorCode, what = '', cause?: unknown): AppFailure {
  const [zh, en, retryable] = texts[code](what);
  return new AppFailure({ code, message_zh: zh, message_en: en, retryable }, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------
// Types

/** The one way this module reaches the platform: identity's DPoP-bound client in the app, plain fetch in the bench. */
export type { PlatformFetcher };

export interface DatasetInfo {
  id: string;
  name: LocalizedName;
  provider: { id: string; name: LocalizedName };
}

/** What a consented self-download needs to be fetched and recorded. */
export interface DownloadJob {
  txId: string;
  service: { id: string; name: LocalizedName };
  /** The service's datasets from the catalogue (names for the screen and the history). */
  datasets: readonly DatasetInfo[];
  /** Who consented and how, for the history (G14); null writes no history (benchmarks). */
  record: {
    subject: HistorySubject;
    method: string;
    level: number;
    receiptId: string | null;
    termsSha256: string | null;
  } | null;
}

export interface DownloadLimits {
  /** Longest total wait while the platform answers 429. */
  maxWaitMs: number;
  /** Longest single wait, whatever Retry-After says. */
  maxRetryAfterMs: number;
  /** Connections that may drop and be resumed before giving up. */
  maxResumes: number;
  /** Largest package accepted. */
  maxBytes: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: Readonly<DownloadLimits> = Object.freeze({
  maxWaitMs: 10 * 60_000,
  maxRetryAfterMs: 30_000,
  maxResumes: 5,
  maxBytes: 2 * 1024 ** 3,
});

export interface HistorySink {
  append(entry: HistoryEntryInput): Promise<unknown>;
  /** Whether the history holds any record of this transaction (when the sink can tell). */
  records?(): readonly { tx_id: string }[];
}

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
// Helpers

function abortable(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(downloadFailure(DownloadErrorCode.CANCELLED));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(downloadFailure(DownloadErrorCode.CANCELLED));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw downloadFailure(DownloadErrorCode.CANCELLED);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The SHA-256 (hex) a Repr-Digest (RFC 9530, `sha-256=:b64:`) or legacy Digest (`SHA-256=b64`) header announces. */
export function announcedSha256(headers: Headers): string | null {
  const repr = headers.get('repr-digest');
  if (repr !== null) {
    for (const member of repr.split(',')) {
      const m = /^\s*sha-256\s*=\s*:([A-Za-z0-9+/=]+):\s*$/i.exec(member);
      if (m?.[1] !== undefined) return Buffer.from(m[1], 'base64').toString('hex');
    }
  }
  const legacy = headers.get('digest');
  if (legacy !== null) {
    for (const member of legacy.split(',')) {
      const m = /^\s*sha-256\s*=\s*([A-Za-z0-9+/=]+)\s*$/i.exec(member);
      if (m?.[1] !== undefined) return Buffer.from(m[1], 'base64').toString('hex');
    }
  }
  return null;
}

/** The platform's own AppError body when it sent one, else a named unexpected-response failure. */
async function platformError(response: Response, what: string): Promise<AppFailure> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: named below.
  }
  const parsed = AppErrorSchema.safeParse(body);
  if (parsed.success) return new AppFailure(parsed.data);
  return downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, `${what} ${response.status}`);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

async function defaultFreeSpace(dir: string): Promise<number | null> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** A file name the vault accepts for a provider folder: resource ids are short ASCII on the real platform. */
function folderFor(resourceId: string): string {
  const clean = resourceId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.]+/, '_').replace(/[. ]+$/, '').slice(0, 100);
  return clean === '' ? 'part' : clean;
}

export function vaultNameFor(file: Pick<DataFileInfo, 'resource_id' | 'filename'>): string {
  return `${folderFor(file.resource_id)}/${file.filename}`;
}

/** Maps the verifier's verdict onto what the vault keeps per provider (its free `detail` keeps the verifier's own result). */
export function providersMeta(verdict: PackageVerdict, datasets: readonly DatasetInfo[]): PackageMeta['providers'] {
  return verdict.providers.map((p) => {
    const known = datasets.find((d) => d.id === p.resource_id);
    const errors: AppError[] = p.errors.map((e) => ({ ...e }));
    return {
      resourceId: p.resource_id === '' ? 'part' : p.resource_id,
      name: p.resource_name ?? known?.name.zh ?? p.resource_id,
      verdict: p.status === 'verified' ? 'verified' : p.status === 'issuer-not-recognised' ? 'issuer_unrecognised' : p.status === 'no-known-signer' ? 'not_verified' : 'failed',
      detail: {
        status: p.status,
        code: p.code,
        part: p.part,
        folder: folderFor(p.resource_id),
        signature: p.signature,
        certificate: p.certificate,
        signer: p.certificate_info?.subject ?? null,
        issuer: p.certificate_info?.issuer ?? null,
        fingerprint256: p.certificate_info?.fingerprint256 ?? null,
        // Names from the catalogue's binding or the signed content (the verifier's), else the service's catalogue; never the outer manifest.
        dataset: p.dataset ? { zh: p.dataset.zh, en: p.dataset.en } : known ? { zh: known.name.zh, en: known.name.en } : null,
        provider: known ? { id: known.provider.id, zh: known.provider.name.zh, en: known.provider.name.en } : p.provider ? { id: null, zh: p.provider.zh, en: p.provider.en } : null,
        errors,
        verified_at: verdict.verified_at,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Verify into the vault (shared with import)

/** A one-slot queue of vault entries that ends, or fails, when the verifier says so. */
export class EntryQueue implements AsyncIterable<VaultEntryInput> {
  readonly #items: VaultEntryInput[] = [];
  #end: { error: unknown } | { done: true } | null = null;
  #wake: (() => void) | null = null;

  push(entry: VaultEntryInput): void {
    this.#items.push(entry);
    this.#wake?.();
  }
  finish(): void {
    this.#end ??= { done: true };
    this.#wake?.();
  }
  fail(error: unknown): void {
    this.#end ??= { error };
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<VaultEntryInput> {
    for (;;) {
      const next = this.#items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#end !== null) {
        if ('error' in this.#end) throw this.#end.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
  }
}

export async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // The vault stopped early (a failure or cancel): tell the verifier's writer so it does not wait forever.
    await reader.cancel().catch(() => undefined);
  }
}

export interface StoreVerifiedOptions {
  vault: Vault;
  /** Builds the package's description once the verdict is known. */
  meta: (verdict: PackageVerdict) => PackageMeta;
  verify: VerifyOptions;
  signal?: AbortSignal;
  onStoreProgress?: (bytes: number) => void;
}

/**
 * Verifies `source` and encrypts its listed data files into the vault in the same pass. Resolves with the verdict
 * and the stored package when the verdict is storable; when it is not, nothing is kept and the verdict comes back
 * with `stored: null`. A hostile archive throws its PACKAGE_* failure; a vault failure throws its VAULT_* one.
 */
export async function verifyIntoVault(source: PackageSource, options: StoreVerifiedOptions): Promise<{ verdict: PackageVerdict; stored: PackageSummary | null }> {
  const queue = new EntryQueue();
  const pace = memoryPacer();
  const storeAbort = new AbortController();
  const onAbort = () => storeAbort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let verdict: PackageVerdict | null = null;
  const vaultState: { failed: boolean; error: unknown } = { failed: false, error: null };
  const notStorable = new Error('not storable');

  const stored = options.vault
    .store(
      {
        meta: () => {
          if (verdict === null) throw new Error('meta asked before the verdict');
          return options.meta(verdict);
        },
        files: queue,
      },
      {
        signal: storeAbort.signal,
        onProgress: (p) => {
          pace(p.bytes);
          options.onStoreProgress?.(p.bytes);
        },
      },
    )
    .catch((error: unknown) => {
      vaultState.failed = true;
      vaultState.error = error;
      throw error;
    });
  // Observed below; this keeps an early store failure from being reported as unhandled meanwhile.
  stored.catch(() => undefined);

  const sink = (file: DataFileInfo): WritableStream<Uint8Array> => {
    if (vaultState.failed) return new WritableStream<Uint8Array>();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    // The verifier closes a sink only when the bytes matched file.digest (FileSink): the vault need not hash them again.
    queue.push({ name: vaultNameFor(file), stream: iterate(readable), sha256: file.digest });
    return writable;
  };

  try {
    verdict = await verifyPackage(source, { ...options.verify, signal: options.signal, sink });
  } catch (error) {
    queue.fail(error);
    await stored.catch(() => undefined);
    // When the vault failed first (disk full, cancel), the verifier only saw its sink close: the vault's error is the cause.
    throw vaultState.failed && vaultState.error !== error ? vaultState.error : error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (!verdict.storable) {
    queue.fail(notStorable);
    await stored.catch(() => undefined);
    return { verdict, stored: null };
  }
  queue.finish();
  return { verdict, stored: await stored };
}

// ---------------------------------------------------------------------------------------------
// The download

type Announced = SpoolAnnounced;

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
    await discardSpool(deps.spoolDir, deps.vault.deriveKey(SPOOL_KEY_PURPOSE), job.txId).catch(() => undefined);
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
    await writeHistory(job, deps, job.datasets.map((d) => ({ dataset: d, result: 'failure' as const, code: datasetCodes?.get(d.id) ?? code })));
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
    const response = await deps.platform.fetch(`transactions/${encodeURIComponent(job.txId)}`);
    if (response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      const waited = monotonic() - waitedFrom;
      if (waited >= limits.maxWaitMs) throw downloadFailure(DownloadErrorCode.STILL_PREPARING, `${Math.round(waited / 1000)} s`);
      const after = parseRetryAfterMs(response.headers.get('retry-after'), deps.clock.now()) ?? 1000;
      const ms = Math.min(Math.max(after, 250), limits.maxRetryAfterMs, limits.maxWaitMs - waited);
      report({ state: 'waiting', retryAfterSeconds: Math.ceil(ms / 1000) }, true);
      await sleep(ms, signal);
      continue;
    }
    if (response.status === 200 || response.status === 403) {
      const body = (await response.json().catch(() => null)) as { status?: unknown; package?: { size?: unknown } | null } | null;
      // A 403 with a status body is the partial-failure answer; one without (an access error) is the platform's refusal.
      if (response.status === 403 && body?.status !== 403) {
        const parsed = AppErrorSchema.safeParse(body);
        throw parsed.success ? new AppFailure(parsed.data) : downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'status 403');
      }
      // The status tells the size: refuse for lack of space before the one-time download starts, not after.
      const size = body?.package?.size;
      if (typeof size === 'number' && Number.isSafeInteger(size) && size > 0) {
        if (size > limits.maxBytes) throw downloadFailure(DownloadErrorCode.TOO_LARGE, formatBytes(size));
        await ensureSpace(deps, size);
        spaceChecked = true;
      }
      break;
    }
    if (response.status === 201) {
      await response.body?.cancel().catch(() => undefined);
      await recordDeliveredElsewhere();
      throw downloadFailure(DownloadErrorCode.ALREADY_DELIVERED);
    }
    if (response.status === 205) {
      await response.body?.cancel().catch(() => undefined);
      throw downloadFailure(DownloadErrorCode.REFUSED);
    }
    if (response.status === 410) {
      await response.body?.cancel().catch(() => undefined);
      await recordFailure('410');
      throw downloadFailure(DownloadErrorCode.EXPIRED);
    }
    if (response.status === 504) {
      const body = (await response.json().catch(() => null)) as { datasets?: { id?: unknown; code?: unknown }[] } | null;
      const codes = new Map<string, string>();
      for (const d of body?.datasets ?? []) if (typeof d.id === 'string' && (typeof d.code === 'number' || typeof d.code === 'string')) codes.set(d.id, String(d.code));
      await recordFailure('504', codes);
      throw downloadFailure(DownloadErrorCode.PROVIDERS_FAILED, [...codes.entries()].map(([id, c]) => `${id}: ${c}`).join(', ') || '504');
    }
    throw await platformError(response, 'status');
  }

  // 2. Stream the package once into the encrypted spool, resuming with Range while the ticket is not spent.
  const spool = await openSpool(deps, job.txId);
  const meter = new RateMeter(monotonic);
  const pace = memoryPacer();
  let ticketSpent = false;
  let keepSpool = false;
  try {
    const { announced, digest } = await fetchIntoSpool(job, deps, spool, limits, signal, (bytes, total, resumes) => {
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
    await writeHistory(job, deps, historyRows(job, verified.verdict));
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

/** HKDF purpose of the spool's key (vault.deriveKey): spools are protected like the vault's own keys. */
const SPOOL_KEY_PURPOSE = 'download-spool';

/** How long the body may stall before what arrived is written and checkpointed (a crash then loses none of it). */
const IDLE_CHECKPOINT_MS = 1000;

async function openSpool(deps: DownloadDeps, txId: string): Promise<EncryptedSpool> {
  const key = deps.vault.deriveKey(SPOOL_KEY_PURPOSE);
  try {
    return await EncryptedSpool.openFor(deps.spoolDir, key, txId);
  } catch (error) {
    if (isErrno(error, 'ENOSPC')) throw downloadFailure(DownloadErrorCode.DISK_FULL, 'ENOSPC', error);
    throw error;
  }
}

async function fetchIntoSpool(
  job: DownloadJob,
  deps: DownloadDeps,
  spool: EncryptedSpool,
  limits: DownloadLimits,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number, total: number | null, resumes: number) => void,
  spaceChecked: boolean,
): Promise<{ announced: Announced; digest: string }> {
  const sleep = deps.sleep ?? abortable;
  // An earlier run's checkpoint: the first request already asks for the rest (G1: the ticket is not spent yet).
  let announced: Announced | null = spool.announced;
  let resumes = 0;

  for (;;) {
    checkCancelled(signal);
    const from = spool.size;
    let response: Response;
    try {
      response = await getPackage(deps.platform, job.txId, announced !== null ? from : 0);
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      // No answer at all: a dropped connection before the headers; resume if allowed.
      resumes += 1;
      if (resumes > limits.maxResumes) throw downloadFailure(DownloadErrorCode.INTERRUPTED, `${resumes - 1}×`, error);
      await sleep(250 * resumes, signal);
      continue;
    }

    const type = response.headers.get('content-type') ?? '';
    const isZip = /^application\/(zip|octet-stream)\b/i.test(type);
    let start = 0;
    if ((response.status === 200 || response.status === 403) && isZip) {
      const length = Number(response.headers.get('content-length'));
      if (!Number.isSafeInteger(length) || length <= 0) throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'no Content-Length');
      if (length > limits.maxBytes) throw downloadFailure(DownloadErrorCode.TOO_LARGE, formatBytes(length));
      const sha = announcedSha256(response.headers);
      if (announced !== null && (announced.total !== length || announced.sha256 !== sha)) {
        throw downloadFailure(DownloadErrorCode.SIZE_MISMATCH, 'the package changed between attempts');
      }
      announced = { status: response.status, total: length, sha256: sha };
      spool.announce(announced);
      if (from > 0) {
        // The server ignored Range and sent everything again: start over.
        await spool.restart();
      }
      // Checked here only when the status did not tell the size: any await before reading risks losing what is buffered.
      if (!spaceChecked) await ensureSpace(deps, length);
    } else if (response.status === 206 && announced !== null) {
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== from || Number(range[3]) !== announced.total || Number(range[2]) !== announced.total - 1) {
        throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'Content-Range');
      }
      start = from;
    } else if (response.status === 201) {
      await response.body?.cancel().catch(() => undefined);
      throw downloadFailure(DownloadErrorCode.ALREADY_DELIVERED);
    } else if (response.status === 410) {
      await response.body?.cancel().catch(() => undefined);
      throw downloadFailure(DownloadErrorCode.EXPIRED);
    } else if (response.status === 205) {
      await response.body?.cancel().catch(() => undefined);
      throw downloadFailure(DownloadErrorCode.REFUSED);
    } else {
      throw await platformError(response, 'package');
    }

    const total = announced.total;
    const body = response.body;
    if (body === null) throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'no body');
    const reader = body.getReader();
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

async function ensureSpace(deps: DownloadDeps, total: number): Promise<void> {
  const free = await (deps.freeSpace ?? defaultFreeSpace)(deps.spoolDir);
  // The spool and the vault copy coexist for a moment; keep a margin for the index and the history.
  const needed = 2 * total + 16 * 1024 ** 2;
  if (free !== null && free < needed) throw downloadFailure(DownloadErrorCode.DISK_FULL, `${formatBytes(free)} < ${formatBytes(needed)}`);
}

// ---------------------------------------------------------------------------------------------
// History (G14)

interface HistoryRow {
  dataset: DatasetInfo;
  result: 'success' | 'failure';
  code: string;
}

/** One row per dataset of the verdict: delivered datasets succeed with '200', the rest fail with their own code. */
function historyRows(job: DownloadJob, verdict: PackageVerdict): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const p of verdict.providers) {
    const dataset = job.datasets.find((d) => d.id === p.resource_id) ?? {
      id: p.resource_id || 'unknown',
      name: { zh: p.resource_name ?? p.resource_id, en: p.resource_id },
      provider: { id: 'unknown', name: { zh: '未知', en: 'unknown' } },
    };
    const delivered = p.status === 'verified' || p.status === 'issuer-not-recognised' || p.status === 'no-known-signer';
    rows.push({ dataset, result: delivered ? 'success' : 'failure', code: p.code ?? (delivered ? '200' : p.errors[0]?.code ?? 'failed') });
  }
  for (const d of job.datasets) {
    if (!rows.some((r) => r.dataset.id === d.id)) rows.push({ dataset: d, result: 'failure', code: 'MISSING_FROM_PACKAGE' });
  }
  return rows;
}

async function writeHistory(job: DownloadJob, deps: DownloadDeps, rows: HistoryRow[]): Promise<void> {
  if (deps.history === null || job.record === null) return;
  const record = job.record;
  const time = deps.clock.now().toISOString();
  for (const row of rows) {
    await deps.history.append({
      time,
      kind: 'self-download',
      dataset: { id: row.dataset.id, name: { zh: row.dataset.name.zh || row.dataset.id, en: row.dataset.name.en || row.dataset.id } },
      provider: { id: row.dataset.provider.id, name: { zh: row.dataset.provider.name.zh || row.dataset.provider.id, en: row.dataset.provider.name.en || row.dataset.provider.id } },
      service: { id: job.service.id, name: { zh: job.service.name.zh || job.service.id, en: job.service.name.en || job.service.id } },
      recipient: { kind: 'self' },
      subject: record.subject,
      method: record.method,
      assurance_level: record.level,
      result: row.result,
      code: row.code,
      tx_id: job.txId,
      receipt_id: record.receiptId,
      terms_sha256: record.termsSha256,
    });
  }
}
