// app:// serving: CSP and security headers on every response, no path traversal, only known file types.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appCacheControl, createAppRequestHandler, resolveAppPath } from '../../../electron/main/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.ts';

const root = mkdtempSync(join(tmpdir(), 'app-proto-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
writeFileSync(join(root, 'assets', 'index-shLa807j.js'), 'export {}');
writeFileSync(join(root, 'secret.key'), 'nope');
mkdirSync(join(root, 'pdfjs', 'cmaps'), { recursive: true });
writeFileSync(join(root, 'pdfjs', 'cmaps', 'UniCNS-UCS2-H.bcmap'), Buffer.from([0xe0, 1, 2]));
writeFileSync(join(root, 'pdfjs', 'cmaps', 'LICENSE'), 'terms');
const serve = createAppRequestHandler(root);

describe('app protocol', () => {
  it('serves index.html with a strict CSP header', async () => {
    const res = await serve(new Request('app://app/'));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves assets with their type and the CSP', async () => {
    const res = await serve(new Request('app://app/assets/a.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('lets content-hashed build files be kept and has everything else fetched anew', async () => {
    const hashed = await serve(new Request('app://app/assets/index-shLa807j.js'));
    expect(hashed.headers.get('cache-control')).toBe('max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/assets/a.js', '/pdfjs/cmaps/UniCNS-UCS2-H.bcmap']) {
      const res = await serve(new Request(`app://app${path}`));
      expect({ path, cache: res.headers.get('cache-control') }).toEqual({ path, cache: 'no-store' });
    }
    // A name that only looks hashed outside /assets/, or with a hash of the wrong length, is not kept.
    expect(appCacheControl('/index-shLa807j.js')).toBe('no-store');
    expect(appCacheControl('/assets/index-shLa807.js')).toBe('no-store');
    expect(appCacheControl('/assets/sub/index-shLa807j.js')).toBe('no-store');
    expect(appCacheControl('/assets/pdf.worker-Ab_c-123.mjs')).toBe('max-age=31536000, immutable');
  });

  it.each(['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%5c..%5csecret.key', '/secret.key', '/%00index.html', '/missing.js', '/%E0%A4%A'])(
    'refuses %s',
    async (path) => {
      expect(resolveAppPath(root, path) === null || path === '/missing.js').toBe(true);
      const res = await serve(new Request(`app://app${path}`));
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    },
  );

  it("serves pdf.js's CMaps as bytes, but not the licence files kept beside them", async () => {
    const res = await serve(new Request('app://app/pdfjs/cmaps/UniCNS-UCS2-H.bcmap'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0xe0, 1, 2]));
    expect((await serve(new Request('app://app/pdfjs/cmaps/LICENSE'))).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await serve(new Request('app://app/index.html', { method: 'POST', body: 'x' }));
    expect(res.status).toBe(405);
  });
});
