// Small HTTP helpers shared by the sandbox's servers: listening on 127.0.0.1, JSON errors with stable codes, bounded bodies, HTML escaping.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** An error answered as JSON `{code, message_zh, message_en, retryable, ...details}`, the AppError shape plus details. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly message_zh: string;
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message_zh: string, message_en: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message_en);
    this.status = status;
    this.code = code;
    this.message_zh = message_zh;
    this.details = details;
    this.headers = headers;
  }
  body(): Record<string, unknown> {
    return { code: this.code, message_zh: this.message_zh, message_en: this.message, retryable: this.status === 429 || this.status >= 500, ...this.details };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(data.length), 'cache-control': 'no-store', ...headers });
  res.end(data);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendJson(res, error.status, error.body(), error.headers);
    return;
  }
  console.error('[sandbox] internal error', error);
  sendJson(res, 500, { code: 'SANDBOX_INTERNAL', message_zh: '沙盒平臺發生內部錯誤，請稍後再試。', message_en: 'The sandbox platform had an internal error. Try again later.', retryable: true });
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  const data = Buffer.from(html);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(data.length),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:*; base-uri 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(data);
}

export async function readBody(req: IncomingMessage, limit = 256 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'BODY_TOO_LARGE', '請求內容過大。', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', '請以 application/json 傳送。', 'Send the body as application/json.');
  }
  const body = await readBody(req);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', '請求內容不是有效的 JSON。', 'The request body is not valid JSON.');
  }
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A bilingual page shell: zh-TW first, English second, as the app does. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,"Noto Sans TC",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
.en{color:#555}fieldset{border:1px solid #999;margin:1rem 0}label{display:block;margin:.4rem 0}button{font:inherit;padding:.4rem 1rem;margin:.3rem .3rem 0 0}
.error{color:#a00;border-left:4px solid #a00;padding-left:.5rem}.note{background:#fff4cc;padding:.5rem}code{background:#eee;padding:0 .2rem}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface Listening {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only; the handler can be set after the port is known, since components need each other's URLs. */
export async function listen(port: number, handler: () => Handler): Promise<Listening> {
  const server = createServer((req, res) => {
    Promise.resolve(handler()(req, res)).catch((error: unknown) => sendError(res, error));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
