// The one platform client: paths stay inside the platform's API, redirects are refused, and every failure of a read has its named code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { getPackage, PlatformHttp, plainTransport, type PlatformTransport } from '../../../electron/protocol/client.ts';

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/ok') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: 1 }));
    if (path === '/api/shape') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: 'one' }));
    if (path === '/api/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
    if (path === '/api/missing') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    if (path === '/api/down') return void res.writeHead(503).end();
    if (path === '/api/moved') return void res.writeHead(302, { location: '/api/ok' }).end();
    if (path === '/api/echo') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accept: req.headers.accept, type: req.headers['content-type'] ?? null, method: req.method }));
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const Shape = z.object({ n: z.number() });
const client = () => new PlatformHttp({ base: `${origin}/api`, transport: plainTransport(fetch, 5000) });

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'OK';
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return (error as AppFailure).code;
  }
}

describe('PlatformHttp.getJson', () => {
  it('reads a document in its schema, with or without a leading slash', async () => {
    expect(await client().getJson('ok', Shape, 'x')).toEqual({ n: 1 });
    expect(await client().getJson('/ok', Shape, 'x')).toEqual({ n: 1 });
  });

  it.each([
    ['shape', 'PLATFORM_INVALID_RESPONSE'],
    ['text', 'PLATFORM_INVALID_RESPONSE'],
    ['missing', 'PLATFORM_INVALID_RESPONSE'],
    ['down', 'PLATFORM_UNREACHABLE'],
    ['moved', 'PLATFORM_UNREACHABLE'],
  ])('%s: %s', async (path, code) => {
    expect(await codeOf(client().getJson(path, Shape, 'x'))).toBe(code);
  });

  it('a closed port is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = new PlatformHttp({ base: `http://127.0.0.1:${port}`, transport: plainTransport(fetch, 5000) });
    expect(await codeOf(http.getJson('ok', Shape, 'x'))).toBe('PLATFORM_UNREACHABLE');
  });

  it("names failures with the caller's codes when given", async () => {
    const mine = (code: string) => new AppFailure({ code, message_zh: '甲', message_en: 'A', retryable: true });
    const http = new PlatformHttp({ base: `${origin}/api`, transport: plainTransport(fetch, 5000), failures: { unreachable: () => mine('MINE_DOWN'), invalidResponse: () => mine('MINE_BAD') } });
    expect(await codeOf(http.getJson('down', Shape, 'x'))).toBe('MINE_DOWN');
    expect(await codeOf(http.getJson('shape', Shape, 'x'))).toBe('MINE_BAD');
  });
});

describe('PlatformHttp.fetch', () => {
  it('asks for JSON and sends JSON bodies as such', async () => {
    expect(await (await client().fetch('echo')).json()).toEqual({ accept: 'application/json', type: null, method: 'GET' });
    expect(await (await client().fetch('echo', { method: 'POST', json: { a: 1 } })).json()).toEqual({ accept: 'application/json', type: 'application/json', method: 'POST' });
  });

  it('never leaves the platform API: another origin or a path outside the base is refused before anything is sent', async () => {
    const sent: string[] = [];
    const transport: PlatformTransport = async (url) => {
      sent.push(url.href);
      return new Response('{}');
    };
    const outside = new Error('outside');
    const http = new PlatformHttp({ base: 'http://127.0.0.1:4000/api/v1', transport, outside: () => outside });
    for (const path of ['http://127.0.0.1:4001/api/v1/services', 'https://evil.example/api/v1/x', '../../services', '/../admin', 'http://127.0.0.1:4000/api/v2/x']) {
      await expect(http.fetch(path)).rejects.toBe(outside);
    }
    expect(sent).toEqual([]);
    await http.fetch('transactions/abc');
    await http.fetch('http://127.0.0.1:4000/api/v1/services');
    expect(sent).toEqual(['http://127.0.0.1:4000/api/v1/transactions/abc', 'http://127.0.0.1:4000/api/v1/services']);
  });
});

describe('getPackage', () => {
  it('asks for the whole package, or from a byte on with Range', async () => {
    const asked: { path: string; headers: Record<string, string> | undefined }[] = [];
    const platform = { fetch: async (path: string, request?: { headers?: Record<string, string> }) => { asked.push({ path, headers: request?.headers }); return new Response(null, { status: 204 }); } };
    await getPackage(platform, 'tx/1', 0);
    await getPackage(platform, 'tx/1', 1234);
    expect(asked).toEqual([
      { path: 'transactions/tx%2F1/package', headers: { accept: 'application/zip' } },
      { path: 'transactions/tx%2F1/package', headers: { accept: 'application/zip', range: 'bytes=1234-' } },
    ]);
  });
});
