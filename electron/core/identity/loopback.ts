// The one-shot loopback receiver of RFC 8252 §7.3: 127.0.0.1, an ephemeral port, only `GET /callback` with this
// verification's `state`, closed after one answer or a deadline.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppFailure } from '../../contract/errors.ts';
import { IdentityErrorCode } from '../../contract/identity.ts';
import { identityFailure } from './errors.ts';

export const CALLBACK_PATH = '/callback';
export const DEFAULT_LOOPBACK_TIMEOUT_MS = 10 * 60 * 1000;

export interface LoopbackOptions {
  /**
   * The `state` of the authorization request: only a callback carrying it completes the verification. Any other
   * request (a stray tab, a local page probing ports, junk) gets 400 and the receiver keeps waiting until its deadline.
   */
  state: string;
  /** 0 (the default) asks the OS for an ephemeral port; tests pass a fixed one to provoke EADDRINUSE. */
  port?: number;
  timeoutMs?: number;
  /** Told about callbacks refused after the first (the page the browser gets carries the same code). */
  onRefused?: (failure: AppFailure) => void;
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'pragma': 'no-cache',
  // The callback URL carries the code: never let this page leak it onward or be framed.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'connection': 'close',
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page the browser shows after the redirect: zh-TW first, English second; an error code at most, never a code or token. */
export function callbackPage(outcome: { ok: true } | { ok: false; failure: AppFailure }): string {
  const [title, zh, en] = outcome.ok
    ? ['驗證完成 Verification complete', '身分驗證完成。您可以關閉這個分頁，回到 MyData Desktop。', 'Your identity is verified. You can close this tab and return to MyData Desktop.']
    : ['驗證未完成 Verification not completed', `身分驗證未完成：${outcome.failure.message_zh} 請回到 MyData Desktop。`, `The verification did not complete: ${outcome.failure.message_en} Return to MyData Desktop.`];
  const code = outcome.ok ? '' : `<p class="code">錯誤代碼 Error code: <code>${escapeHtml(outcome.failure.code)}</code></p>`;
  return `<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,"Noto Sans TC",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}.en{color:#444}.code{color:#555}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(zh)}</p><p class="en" lang="en">${escapeHtml(en)}</p>${code}</main></body></html>`;
}

function sameState(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Waits for exactly one authorization response; any request that is not it gets 400, every later callback 409. */
export class LoopbackReceiver {
  readonly redirectUri: string;
  readonly deadline: Date;
  readonly #server: Server;
  readonly #hostHeader: string;
  readonly #onRefused: ((failure: AppFailure) => void) | undefined;
  readonly #state: string;
  #timer: NodeJS.Timeout | undefined;
  #pending: ServerResponse | undefined;
  #received = false;
  #closed = false;
  #resolve!: (url: URL) => void;
  #reject!: (error: AppFailure) => void;
  /** The first callback's full URL; rejects on timeout or cancel. */
  readonly callback: Promise<URL>;

  private constructor(server: Server, port: number, timeoutMs: number, state: string, onRefused: ((failure: AppFailure) => void) | undefined) {
    this.#server = server;
    this.#state = state;
    this.#hostHeader = `127.0.0.1:${port}`;
    this.redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
    this.deadline = new Date(Date.now() + timeoutMs);
    this.#onRefused = onRefused;
    this.callback = new Promise<URL>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The caller may never await (a cancelled transaction); the rejection is still observed through the transaction.
    this.callback.catch(() => undefined);
    this.#timer = setTimeout(() => this.fail(identityFailure(IdentityErrorCode.TIMEOUT)), timeoutMs);
    this.#timer.unref();
    server.on('request', (req, res) => this.#onRequest(req, res));
  }

  static async open(options: LoopbackOptions): Promise<LoopbackReceiver> {
    // An empty state would let any callback without one through.
    if (options.state.length < 16) throw new TypeError('LoopbackReceiver: state must be a fresh random value');
    const server = createServer();
    server.keepAliveTimeout = 1000;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: options.port ?? 0, host: '127.0.0.1', exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      server.close();
      throw identityFailure(IdentityErrorCode.LOOPBACK_UNAVAILABLE, error);
    }
    const { port } = server.address() as AddressInfo;
    return new LoopbackReceiver(server, port, options.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS, options.state, options.onRefused);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    let url: URL | null;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      url = null;
    }
    // A Host other than our own literal address means a DNS-rebinding page is talking to us. Whatever is not this
    // verification's own callback is answered 400 and does not use up the one shot.
    if (url === null || req.method !== 'GET' || url.pathname !== CALLBACK_PATH || req.headers.host !== this.#hostHeader || !sameState(url.searchParams.get('state'), this.#state)) {
      const failure = identityFailure(IdentityErrorCode.CALLBACK_UNEXPECTED);
      this.#onRefused?.(failure);
      res.writeHead(400, HEADERS).end(callbackPage({ ok: false, failure }));
      return;
    }
    if (this.#received || this.#closed) {
      const failure = identityFailure(IdentityErrorCode.CALLBACK_REPEATED);
      this.#onRefused?.(failure);
      res.writeHead(409, HEADERS).end(callbackPage({ ok: false, failure }));
      return;
    }
    this.#received = true;
    this.#clearTimer();
    this.#pending = res;
    this.#resolve(new URL(`${this.redirectUri}${url.search}`));
  }

  /** Answers the first callback with the outcome and closes. */
  finish(outcome: { ok: true } | { ok: false; failure: AppFailure }): void {
    const res = this.#pending;
    this.#pending = undefined;
    if (res && !res.writableEnded) {
      res.writeHead(outcome.ok ? 200 : 400, HEADERS);
      res.end(callbackPage(outcome), () => this.#close());
    } else {
      this.#close();
    }
  }

  /** Stops waiting (cancel, timeout, an error before any callback) and closes. */
  fail(failure: AppFailure): void {
    if (this.#closed) return;
    this.#reject(failure);
    this.finish({ ok: false, failure });
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimer();
    this.#server.close();
    this.#server.closeAllConnections();
  }
}
