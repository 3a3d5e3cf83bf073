// A minimal static file server on 127.0.0.1 for the bench: serves one folder plus fixed extra pages, with given headers.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export type StaticServer = { origin: string; close(): Promise<void> };

export async function serveStatic(
  dir: string,
  options: {
    headers?: Readonly<Record<string, string>>;
    /** Extra pages by path (HTML, or by the path's extension); read at each request, so they may be added later. */
    pages?: Readonly<Record<string, string>>;
    /** Paths answered 204 No Content (e.g. /favicon.ico, which the browser asks for on its own). */
    empty?: readonly string[];
    /** Cache-Control by request path; 'no-store' for every path when not given. */
    cacheControl?: (pathname: string) => string;
    /** index.html as the app serves it (e.g. with its first frame rendered in), from the file and the request's URL. */
    index?: (template: string, url: string) => Promise<string>;
  } = {},
): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      const headers = { ...options.headers, 'Cache-Control': options.cacheControl?.(pathname) ?? 'no-store' };
      if (options.empty?.includes(pathname)) {
        res.writeHead(204, headers).end();
        return;
      }
      const page = options.pages?.[pathname];
      if (page !== undefined) {
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(pathname)] ?? TYPES['.html'] });
        res.end(page);
        return;
      }
      const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
      if (!file.startsWith(root + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        let body: Buffer | string = await readFile(file);
        if (options.index && file === path.join(root, 'index.html')) body = await options.index(body.toString('utf8'), `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`);
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR';
        res.writeHead(missing ? 404 : 500, headers).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
