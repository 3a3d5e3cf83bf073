// Serves the built renderer under app://app/ with the security headers; a fetch-style handler, so the
// same code answers Electron's protocol.handle() and the e2e tests' loopback server.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from './security.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  // pdf.js's data (out/renderer/pdfjs/): Adobe's packed CMaps and the standard Type 1 fonts.
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

/** Maps a request path to a file inside root, or null when it would leave root or is not a file we serve. */
export function resolveAppPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, relative);
  if (full !== base && !full.startsWith(base + sep)) return null;
  if (!Object.hasOwn(CONTENT_TYPES, extname(full).toLowerCase())) return null;
  return full;
}

/** Vite's build output under /assets/ is named by a hash of its content (e.g. index-shLa807j.js). */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|mjs|css)$/;

/**
 * Cache-Control for a served path: a content-hashed build file never changes under its name, so it may be kept;
 * anything else (index.html, pdf.js data, which keep their names across versions) is always fetched anew.
 * app:// itself bypasses Chromium's HTTP cache (a protocol handler answers every request) and its V8 code cache is
 * checked against a hash of the script's text (the `codeCache` privilege), so in the app this only states the truth;
 * the bench's http:// server sends the same, and there Chromium reuses compiled code only for a script that comes
 * from its HTTP cache (it checks the response's time), which the hashed files' policy allows as in the app.
 */
export function appCacheControl(pathname: string): string {
  return HASHED_ASSET.test(pathname) ? 'max-age=31536000, immutable' : 'no-store';
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

export interface AppRequestOptions {
  /**
   * Turns index.html into the page the window opens with (the first frame rendered into it: first-frame.ts); without
   * it index.html is served as built.
   */
  firstFrame?: (template: string, pageUrl: string) => Promise<string>;
}

export function createAppRequestHandler(root: string, options: AppRequestOptions = {}): (request: Request) => Promise<Response> {
  const indexPath = resolveAppPath(root, '/');
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...SECURITY_HEADERS } });
    }
    const { pathname } = new URL(request.url);
    const path = resolveAppPath(root, pathname);
    if (!path) return notFound();
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      return notFound();
    }
    if (path === indexPath && options.firstFrame && request.method === 'GET') {
      body = Buffer.from(await options.firstFrame(body.toString('utf8'), request.url), 'utf8');
    }
    const headers = {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': appCacheControl(pathname),
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
