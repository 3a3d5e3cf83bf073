// The one HTTP client for the platform API: every call to the platform (directory reads, consent, status, the package download) goes through it.
import type { z } from 'zod';
import { PlatformError, type PlatformFailures } from './errors.ts';

export type PlatformMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface PlatformRequest {
  method?: PlatformMethod;
  /** JSON-serialised when given. */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends one request as built by the client: plainly (public reads), or DPoP-bound (see dpop.ts). */
export type PlatformTransport = (url: URL, method: PlatformMethod, headers: Headers, body: string | undefined, signal: AbortSignal | undefined) => Promise<Response>;

/** What the package download and the consent flow need of a platform connection: a request by path. */
export interface PlatformFetcher {
  fetch(path: string, request?: PlatformRequest): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Plain fetch (no credentials), refusing redirects (an answer comes from the platform or not at all) and bounded in time. */
export function plainTransport(fetchImpl: typeof fetch = fetch, timeoutMs = DEFAULT_TIMEOUT_MS): PlatformTransport {
  return (url, method, headers, body, signal) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetchImpl(url.href, { method, headers, body, redirect: 'error', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  };
}

export interface PlatformHttpOptions {
  /** The platform's api_base (or origin): paths resolve under it, and nothing outside it is ever asked. */
  base: string;
  transport: PlatformTransport;
  /** The caller's failure for a path outside `base` (a DPoP-bound token must not leave the platform's API). */
  outside?: () => Error;
  failures?: PlatformFailures;
}

/** Paths are relative to the base (`transactions/abc`, a leading slash is ignored) or absolute URLs under it. */
export class PlatformHttp implements PlatformFetcher {
  readonly #base: URL;
  readonly #transport: PlatformTransport;
  readonly #outside: () => Error;
  readonly #failures: PlatformFailures;

  constructor(options: PlatformHttpOptions) {
    this.#base = new URL(options.base.endsWith('/') ? options.base : `${options.base}/`);
    this.#transport = options.transport;
    this.#failures = options.failures ?? PlatformError;
    this.#outside = options.outside ?? (() => this.#failures.invalidResponse('URL', new Error('outside the platform API')));
  }

  /** The URL a path names, refused when it leaves the platform's origin or its API path. */
  url(path: string): URL {
    const url = new URL(path.replace(/^\//, ''), this.#base);
    if (url.origin !== this.#base.origin || !url.pathname.startsWith(this.#base.pathname)) throw this.#outside();
    return url;
  }

  /** One request; resolves with whatever the platform answered (any status), rejects as the transport does when there is no answer. */
  async fetch(path: string, request: PlatformRequest = {}): Promise<Response> {
    const url = this.url(path);
    const headers = new Headers(request.headers);
    headers.set('accept', headers.get('accept') ?? 'application/json');
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers.set('content-type', 'application/json');
    }
    return await this.#transport(url, request.method ?? 'GET', headers, body, request.signal);
  }

  /**
   * A JSON document the API promises at `path`: no answer or a 5xx is `unreachable`; any other status outside 2xx, a
   * body that is not JSON or not in `schema`'s shape is `invalidResponse` (named `what`).
   */
  async getJson<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> {
    let response: Response;
    try {
      response = await this.fetch(path);
    } catch (error) {
      throw this.#failures.unreachable(error);
    }
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw this.#failures.unreachable(new Error(`HTTP ${response.status}`));
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw this.#failures.invalidResponse(what, new Error(`HTTP ${response.status}`));
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw this.#failures.invalidResponse(what, error);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.#failures.invalidResponse(what, parsed.error);
    return parsed.data;
  }
}

/** The body as JSON, or null when there is none or it is not JSON (the caller then names the failure). */
export async function jsonOrNull(response: Response): Promise<unknown> {
  return response.json().catch(() => null);
}

/**
 * GET /transactions/{tx_id}/package, streamed: from byte `from` on (an HTTP Range resume) when `from` > 0. The body is
 * left for the caller to read as it arrives; the status is the caller's to judge (206 a range, 200/403 whole, 201 spent…).
 */
export function getPackage(platform: PlatformFetcher, txId: string, from: number): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/zip' };
  if (from > 0) headers.range = `bytes=${from}-`;
  return platform.fetch(`transactions/${encodeURIComponent(txId)}/package`, { method: 'GET', headers });
}
