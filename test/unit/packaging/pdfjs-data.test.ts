// pdf.js's data (Adobe CMaps, standard fonts) as the renderer gets it during development: the dev server answers
// /pdfjs/<folder>/<file> from node_modules/pdfjs-dist and nothing outside those two folders. (The build's copy is
// exercised by the e2e viewer test, which needs a CMap to read a PDF's Chinese text.)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../../electron.vite.config.ts';

const root = resolve(import.meta.dirname, '../../..');
let server: ViteDevServer;
let origin: string;

beforeAll(async () => {
  const renderer = (config as { renderer?: { plugins?: unknown[] } }).renderer;
  const plugin = (renderer?.plugins ?? []).find((p): p is Plugin => typeof p === 'object' && p !== null && (p as Plugin).name === 'mydata-pdfjs-data');
  if (!plugin) throw new Error('the renderer build has no mydata-pdfjs-data plugin');
  server = await createServer({ configFile: false, root: resolve(root, 'renderer'), logLevel: 'silent', plugins: [plugin], server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server.close();
});

describe('pdf.js data in development', () => {
  it('serves a CMap and a standard font byte for byte', async () => {
    for (const file of ['cmaps/UniCNS-UCS2-H.bcmap', 'standard_fonts/FoxitSerif.pfb']) {
      const res = await fetch(`${origin}/pdfjs/${file}`);
      expect(res.status, file).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(resolve(root, 'node_modules/pdfjs-dist', file)))).toBe(true);
    }
  });

  it('answers nothing outside the two folders (other folders, traversal, unknown files)', async () => {
    for (const path of ['/pdfjs/build/pdf.mjs', '/pdfjs/cmaps/..%2f..%2fpackage.json', '/pdfjs/cmaps/no-such.bcmap', '/pdfjs/cmaps/a/b']) {
      const res = await fetch(`${origin}${path}`);
      const body = Buffer.from(await res.arrayBuffer());
      // Vite's own fallback may answer index.html for unknown paths; never a file from pdfjs-dist or the project.
      expect(body.includes(Buffer.from('"name": "mydata-desktop"')), path).toBe(false);
      expect(res.headers.get('content-type') ?? '', path).not.toBe('application/octet-stream');
    }
  });
});
