// The one-shot loopback receiver (RFC 8252 §7.3): only GET /callback with this verification's state on 127.0.0.1, once;
// 400 to anything else without using up the one shot; closes on finish, cancel, deadline.
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

const STATE = 'Zq3v9XwY1bT0s8kLmN2p';

describe('LoopbackReceiver', () => {
  it('listens on 127.0.0.1 with an ephemeral port and a /callback redirect URI', async () => {
    const a = await LoopbackReceiver.open({ state: STATE });
    const b = await LoopbackReceiver.open({ state: STATE });
    expect(a.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(a.redirectUri).not.toBe(b.redirectUri);
    a.fail(identityFailure(IdentityErrorCode.CANCELLED));
    b.fail(identityFailure(IdentityErrorCode.CANCELLED));
  });

  it('answers 400 to other paths, other methods, a foreign Host (DNS rebinding) and a wrong or missing state, without consuming the one shot', async () => {
    const refused: string[] = [];
    const r = await LoopbackReceiver.open({ state: STATE, onRefused: (f) => refused.push(f.code) });
    const origin = new URL(r.redirectUri).origin;
    const strays = [
      await raw(`${origin}/`),
      await raw(`${origin}/favicon.ico`),
      await raw(`${origin}/callback/extra?code=x&state=${STATE}`),
      await raw(`${origin}/CALLBACK?code=x&state=${STATE}`),
      await raw(`${origin}/callback?code=x&state=${STATE}`, { method: 'POST' }),
      await raw(`${origin}/callback?code=x&state=${STATE}`, { host: 'evil.example:80' }),
      await raw(`${origin}/callback?code=x&state=${STATE}`, { host: `localhost:${new URL(origin).port}` }),
      await raw(`${origin}/callback?code=x`),
      await raw(`${origin}/callback?code=x&state=`),
      await raw(`${origin}/callback?code=x&state=${STATE}x`),
      await raw(`${origin}/callback?code=x&state=${STATE.slice(0, -1)}`),
      await raw(`${origin}/callback?code=x&state=${STATE.toLowerCase()}`),
      await raw(`${origin}/callback?%zz`),
    ];
    for (const page of strays) {
      expect(page.status).toBe(400);
      expect(page.body).toContain('IDENTITY_CALLBACK_UNEXPECTED');
      expect(page.body).not.toContain('code=x');
    }
    expect(refused).toEqual(strays.map(() => 'IDENTITY_CALLBACK_UNEXPECTED'));
    // Still listening, still waiting: the right callback completes it.
    expect(r.closed).toBe(false);
    const first = raw(`${r.redirectUri}?code=abc&state=${STATE}&iss=https%3A%2F%2Fidp`);
    const url = await r.callback;
    expect(url.searchParams.get('code')).toBe('abc');
    expect(url.searchParams.get('state')).toBe(STATE);
    r.finish({ ok: true });
    const page = await first;
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).not.toContain('abc');
    expect(r.closed).toBe(true);
    await expect(raw(r.redirectUri)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('junk before the deadline does not close it: the receiver times out with IDENTITY_TIMEOUT, not earlier', async () => {
    const r = await LoopbackReceiver.open({ state: STATE, timeoutMs: 300 });
    expect((await raw(`${r.redirectUri}?code=junk`)).status).toBe(400);
    expect((await raw(`${r.redirectUri}?state=nope`)).status).toBe(400);
    expect(r.closed).toBe(false);
    await expect(r.callback).rejects.toMatchObject({ code: 'IDENTITY_TIMEOUT' });
    expect(r.closed).toBe(true);
  });

  it('refuses to open without a real state', async () => {
    await expect(LoopbackReceiver.open({ state: '' })).rejects.toThrow(TypeError);
  });

  it('a second callback while the first is processed gets 409 with its code and is reported', async () => {
    const refused: string[] = [];
    const r = await LoopbackReceiver.open({ state: STATE, onRefused: (f) => refused.push(f.code) });
    const first = raw(`${r.redirectUri}?code=one&state=${STATE}`);
    await r.callback;
    const second = await raw(`${r.redirectUri}?code=two&state=${STATE}`);
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
    const r = await LoopbackReceiver.open({ state: STATE, timeoutMs: 50 });
    await expect(r.callback).rejects.toMatchObject({ code: 'IDENTITY_TIMEOUT' });
    expect(r.closed).toBe(true);
    await expect(raw(r.redirectUri)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a fixed port in use → IDENTITY_LOOPBACK_UNAVAILABLE', async () => {
    const a = await LoopbackReceiver.open({ state: STATE });
    const port = Number(new URL(a.redirectUri).port);
    await expect(LoopbackReceiver.open({ state: STATE, port })).rejects.toMatchObject({ code: 'IDENTITY_LOOPBACK_UNAVAILABLE' });
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
