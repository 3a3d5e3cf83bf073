// The one-shot loopback receiver (RFC 8252 §7.3): only GET /callback on 127.0.0.1, once; 404 elsewhere; closes on finish, cancel, deadline.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { IdentityErrorCode } from '../../../electron/contract/identity.ts';
import { callbackPage, LoopbackReceiver } from '../../../electron/core/identity/loopback.ts';
import { identityFailure, identityMessage } from '../../../electron/core/identity/errors.ts';

function raw(url: string, init: { method?: string; host?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: '127.0.0.1', port: u.port, path: `${u.pathname}${u.search}`, method: init.method ?? 'GET', headers: init.host ? { host: init.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('LoopbackReceiver', () => {
  it('listens on 127.0.0.1 with an ephemeral port and a /callback redirect URI', async () => {
    const a = await LoopbackReceiver.open();
    const b = await LoopbackReceiver.open();
    expect(a.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(a.redirectUri).not.toBe(b.redirectUri);
    a.fail(identityFailure(IdentityErrorCode.CANCELLED));
    b.fail(identityFailure(IdentityErrorCode.CANCELLED));
  });

  it('answers 404 to other paths, other methods and a foreign Host (DNS rebinding), without consuming the one shot', async () => {
    const r = await LoopbackReceiver.open();
    const origin = new URL(r.redirectUri).origin;
    expect((await raw(`${origin}/`)).status).toBe(404);
    expect((await raw(`${origin}/callback/extra?code=x`)).status).toBe(404);
    expect((await raw(`${origin}/callback?code=x`, { method: 'POST' })).status).toBe(404);
    expect((await raw(`${origin}/callback?code=x`, { host: 'evil.example:80' })).status).toBe(404);
    const first = raw(`${r.redirectUri}?code=abc&state=s`);
    const url = await r.callback;
    expect(url.searchParams.get('code')).toBe('abc');
    r.finish({ ok: true });
    const page = await first;
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).not.toContain('abc');
    expect(r.closed).toBe(true);
    await expect(raw(r.redirectUri)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a second callback while the first is processed gets 409 with its code and is reported', async () => {
    const refused: string[] = [];
    const r = await LoopbackReceiver.open({ onRefused: (f) => refused.push(f.code) });
    const first = raw(`${r.redirectUri}?code=one`);
    await r.callback;
    const second = await raw(`${r.redirectUri}?code=two`);
    expect(second.status).toBe(409);
    expect(second.body).toContain('IDENTITY_CALLBACK_REPEATED');
    expect(second.body).not.toContain('two');
    expect(refused).toEqual(['IDENTITY_CALLBACK_REPEATED']);
    r.finish({ ok: false, failure: identityFailure(IdentityErrorCode.STATE_MISMATCH) });
    const page = await first;
    expect(page.status).toBe(400);
    expect(page.body).toContain('IDENTITY_STATE_MISMATCH');
  });

  it('rejects with IDENTITY_TIMEOUT at the deadline and closes', async () => {
    const r = await LoopbackReceiver.open({ timeoutMs: 50 });
    await expect(r.callback).rejects.toMatchObject({ code: 'IDENTITY_TIMEOUT' });
    expect(r.closed).toBe(true);
    await expect(raw(r.redirectUri)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a fixed port in use → IDENTITY_LOOPBACK_UNAVAILABLE', async () => {
    const a = await LoopbackReceiver.open();
    const port = Number(new URL(a.redirectUri).port);
    await expect(LoopbackReceiver.open({ port })).rejects.toMatchObject({ code: 'IDENTITY_LOOPBACK_UNAVAILABLE' });
    a.fail(identityFailure(IdentityErrorCode.CANCELLED));
  });
});

describe('callback page and messages', () => {
  it('is bilingual, tells the person to return to the app, and escapes what it shows', () => {
    const ok = callbackPage({ ok: true });
    expect(ok).toContain('lang="zh-Hant-TW"');
    expect(ok).toContain('回到 MyData Desktop');
    expect(ok).toContain('return to MyData Desktop');
  });
  it('every identity code has distinct zh-TW and English messages', () => {
    const codes = Object.values(IdentityErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    const seenEn = new Set<string>();
    for (const code of codes) {
      const m = identityMessage(code);
      expect(m.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en, code).toMatch(/^[A-Z].+\.$/);
      expect(seenEn.has(m.en), code).toBe(false);
      seenEn.add(m.en);
      expect(identityFailure(code).toAppError()).toMatchObject({ code, message_zh: m.zh, message_en: m.en });
    }
  });
});
