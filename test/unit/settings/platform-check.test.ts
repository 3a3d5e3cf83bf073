// The "another platform" address check against real HTTP servers on 127.0.0.1: one named error per way it can fail.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkPlatformUrl, platformOrigin } from '../../../electron/core/settings/platform-check.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
function metadata(origin: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: { zh: '測試平臺', en: 'Test platform' },
    api_base: origin,
    jwks_uri: `${origin}/jwks`,
    trust_anchors: [PEM],
    identity_providers: [{ issuer: `${origin}/idp`, name_zh: '身分', name_en: 'IdP', methods: ['moica'], subject_types: ['natural'] }],
    ...extra,
  };
}

/** A server whose only answer is `answer`, on its own port (its own origin). */
async function serving(answer: (origin: string) => { status: number; type?: string; body: string | Buffer; location?: string }): Promise<{ origin: string; close(): Promise<void> }> {
  const s = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? ''}`;
    if (req.url !== '/.well-known/mydata-platform') {
      res.writeHead(404).end();
      return;
    }
    const a = answer(origin);
    res.writeHead(a.status, { ...(a.type ? { 'content-type': a.type } : {}), ...(a.location ? { location: a.location } : {}) });
    res.end(a.body);
  });
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const address = s.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((ok) => s.close(() => ok())) };
}

async function codeFor(answer: Parameters<typeof serving>[0]): Promise<string> {
  const s = await serving(answer);
  try {
    await checkPlatformUrl(`${s.origin}/`, { allowLoopbackHttp: true });
    return 'accepted';
  } catch (error) {
    return (error as { code: string }).code;
  } finally {
    await s.close();
  }
}

describe('platform address check', () => {
  it('accepts a platform that serves good metadata, and answers its origin and name', async () => {
    const s = await serving((origin) => ({ status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(metadata(origin)) }));
    try {
      await expect(checkPlatformUrl(`${s.origin}/some/page?x=1`, { allowLoopbackHttp: true })).resolves.toEqual({ origin: s.origin, name: { zh: '測試平臺', en: 'Test platform' } });
    } finally {
      await s.close();
    }
  });

  it('refuses what is not an https address before any request (loopback http only in development)', () => {
    expect(() => platformOrigin('not a url', false)).toThrow(expect.objectContaining({ code: 'PLATFORM_URL_INVALID' }) as Error);
    expect(() => platformOrigin('ftp://mydata.example.tw', false)).toThrow(expect.objectContaining({ code: 'PLATFORM_URL_NOT_HTTPS' }) as Error);
    expect(() => platformOrigin('http://mydata.example.tw', true)).toThrow(expect.objectContaining({ code: 'PLATFORM_URL_NOT_HTTPS' }) as Error);
    expect(() => platformOrigin('http://127.0.0.1:8080', false)).toThrow(expect.objectContaining({ code: 'PLATFORM_URL_NOT_HTTPS' }) as Error);
    expect(() => platformOrigin('https://user:pw@mydata.example.tw', false)).toThrow(expect.objectContaining({ code: 'PLATFORM_URL_CREDENTIALS' }) as Error);
    expect(platformOrigin('http://127.0.0.1:8080/x', true)).toBe('http://127.0.0.1:8080');
    expect(platformOrigin(' https://MyData.Example.tw/path ', false)).toBe('https://mydata.example.tw');
  });

  it('says unreachable for a closed port', async () => {
    const s = await serving(() => ({ status: 200, body: '' }));
    await s.close();
    await expect(checkPlatformUrl(s.origin, { allowLoopbackHttp: true })).rejects.toMatchObject({ code: 'PLATFORM_URL_UNREACHABLE', retryable: true });
  });

  it('says "not a MyData platform" for a 404, an HTML page and a redirect', async () => {
    expect(await codeFor(() => ({ status: 404, type: 'text/plain', body: 'no' }))).toBe('PLATFORM_URL_NOT_MYDATA');
    expect(await codeFor(() => ({ status: 200, type: 'text/html', body: '<html>a shop</html>' }))).toBe('PLATFORM_URL_NOT_MYDATA');
    expect(await codeFor(() => ({ status: 302, location: 'https://elsewhere.example/', body: '' }))).toBe('PLATFORM_URL_NOT_MYDATA');
  });

  it('says "bad metadata" for JSON that is broken, incomplete, or names another API origin', async () => {
    expect(await codeFor(() => ({ status: 200, type: 'application/json', body: '{"name":' }))).toBe('PLATFORM_URL_BAD_METADATA');
    expect(await codeFor(() => ({ status: 200, type: 'application/json', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }))).toBe('PLATFORM_URL_BAD_METADATA');
    expect(await codeFor((o) => ({ status: 200, type: 'application/json', body: JSON.stringify({ ...metadata(o), trust_anchors: [] }) }))).toBe('PLATFORM_URL_BAD_METADATA');
    expect(await codeFor((o) => ({ status: 200, type: 'application/json', body: JSON.stringify(metadata(o, { api_base: 'https://api.elsewhere.example' })) }))).toBe('PLATFORM_URL_BAD_METADATA');
  });

  it('says unreachable (retryable) for a server error', async () => {
    expect(await codeFor(() => ({ status: 503, type: 'text/plain', body: 'down' }))).toBe('PLATFORM_URL_UNREACHABLE');
  });
});
