// The download's HTTP exchanges with the platform (G1): the transaction's status while it prepares (429 + Retry-After) and the package GET (whole or with Range), read into typed answers or named failures.
//
// Only this file knows the platform's status codes and headers for a download; what to do with an answer (wait,
// resume, give up) is decided in download.ts and download-resume.ts.
import { AppFailure, AppErrorSchema } from '../../contract/errors.ts';
import { getPackage, type PlatformFetcher } from '../../protocol/client.ts';
import { parseRetryAfterMs } from '../../protocol/headers.ts';
import { downloadFailure, DownloadErrorCode } from './download-errors.ts';

/** The one way this module reaches the platform: identity's DPoP-bound client in the app, plain fetch in the bench. */
export type { PlatformFetcher };

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

async function drop(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** What the transaction's status says about its package. */
export type TransactionStatus =
  /** 429: still preparing; ask again after `retryAfterSeconds` (null when the header was missing or unreadable). */
  | { kind: 'preparing'; retryAfterSeconds: number | null }
  /** 200 complete or 403 partly failed: ready; `size` when the status body tells it. */
  | { kind: 'ready'; size: number | null }
  /** 201: delivered once already (G1). */
  | { kind: 'delivered' }
  /** 410: past the platform's time limit. */
  | { kind: 'expired' }
  /** 504: no provider delivered; each dataset's code as the platform gave it. */
  | { kind: 'providers-failed'; codes: Map<string, string> };

/**
 * Asks the transaction's status once. 205 (the person refused) throws DOWNLOAD_REFUSED; a 403 without a status
 * body (an access error) throws the platform's own error; anything else unexpected throws a named failure.
 */
export async function fetchTransactionStatus(platform: PlatformFetcher, txId: string, now: Date): Promise<TransactionStatus> {
  const response = await platform.fetch(`transactions/${encodeURIComponent(txId)}`);
  switch (response.status) {
    case 429: {
      await drop(response);
      const ms = parseRetryAfterMs(response.headers.get('retry-after'), now);
      return { kind: 'preparing', retryAfterSeconds: ms === null ? null : ms / 1000 };
    }
    case 200:
    case 403: {
      const body = (await response.json().catch(() => null)) as { status?: unknown; package?: { size?: unknown } | null } | null;
      // A 403 with a status body is the partial-failure answer; one without (an access error) is the platform's refusal.
      if (response.status === 403 && body?.status !== 403) {
        const parsed = AppErrorSchema.safeParse(body);
        throw parsed.success ? new AppFailure(parsed.data) : downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'status 403');
      }
      const size = body?.package?.size;
      return { kind: 'ready', size: typeof size === 'number' && Number.isSafeInteger(size) && size > 0 ? size : null };
    }
    case 201:
      await drop(response);
      return { kind: 'delivered' };
    case 205:
      await drop(response);
      throw downloadFailure(DownloadErrorCode.REFUSED);
    case 410:
      await drop(response);
      return { kind: 'expired' };
    case 504: {
      const body = (await response.json().catch(() => null)) as { datasets?: { id?: unknown; code?: unknown }[] } | null;
      const codes = new Map<string, string>();
      for (const d of body?.datasets ?? []) if (typeof d.id === 'string' && (typeof d.code === 'number' || typeof d.code === 'string')) codes.set(d.id, String(d.code));
      return { kind: 'providers-failed', codes };
    }
    default:
      throw await platformError(response, 'status');
  }
}

/** The package's answer: the whole body, or the rest of it from a Range request. */
export type PackageResponse =
  | { kind: 'whole'; status: 200 | 403; length: number; sha256: string | null; body: ReadableStream<Uint8Array> }
  | { kind: 'rest'; first: number; last: number; total: number; body: ReadableStream<Uint8Array> };

/**
 * Asks for the package, from byte `from` on when it is not null (Range). A connection that fails before the headers
 * rejects with the fetch error itself (the caller may resume); 201, 205 and 410 throw their named failures; a body
 * without Content-Length or a Content-Range that cannot be read throws DOWNLOAD_UNEXPECTED_RESPONSE.
 */
export async function requestPackage(platform: PlatformFetcher, txId: string, from: number | null): Promise<PackageResponse> {
  const response = await getPackage(platform, txId, from ?? 0);
  const type = response.headers.get('content-type') ?? '';
  const isZip = /^application\/(zip|octet-stream)\b/i.test(type);
  if ((response.status === 200 || response.status === 403) && isZip) {
    const length = Number(response.headers.get('content-length'));
    if (!Number.isSafeInteger(length) || length <= 0) throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'no Content-Length');
    return { kind: 'whole', status: response.status, length, sha256: announcedSha256(response.headers), body: bodyOf(response) };
  }
  if (response.status === 206 && from !== null) {
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
    if (!range) throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'Content-Range');
    return { kind: 'rest', first: Number(range[1]), last: Number(range[2]), total: Number(range[3]), body: bodyOf(response) };
  }
  if (response.status === 201) {
    await drop(response);
    throw downloadFailure(DownloadErrorCode.ALREADY_DELIVERED);
  }
  if (response.status === 410) {
    await drop(response);
    throw downloadFailure(DownloadErrorCode.EXPIRED);
  }
  if (response.status === 205) {
    await drop(response);
    throw downloadFailure(DownloadErrorCode.REFUSED);
  }
  throw await platformError(response, 'package');
}

function bodyOf(response: Response): ReadableStream<Uint8Array> {
  if (response.body === null) throw downloadFailure(DownloadErrorCode.UNEXPECTED_RESPONSE, 'no body');
  return response.body;
}
