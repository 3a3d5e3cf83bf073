// Whole verifications against the sandbox's accredited IdPs with real HTTP: both subject types, every level the sandbox offers, step-up, sign-out.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IdentitySessionSchema, VERIFICATION_METHODS } from '../../../electron/contract/identity.ts';
import { openSandbox, PERSONAS, scriptedBrowser, serviceFor, type SandboxHandle } from './fixture.ts';

let h: SandboxHandle;
beforeAll(async () => { h = await openSandbox(); });
afterAll(async () => { await h.close(); });

const idp = (id: string) => h.sandbox.idps.find((i) => i.id === id)!;

describe('a whole verification (G3)', () => {
  it('verifies 王小明 with 自然人憑證 at TWCA: session without token, masked ID, DPoP platform client', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ subjectType: 'natural', issuer: idp('twca').issuer, requiredLevel: 2, datasets: ['API.UDauDOLyZg'] });
    const session = await tx.session;

    expect(IdentitySessionSchema.parse(session)).toEqual(session);
    expect(session).toMatchObject({ subjectType: 'natural', displayName: '王小明', maskedId: 'H12604****', company: null, method: 'moica', level: 0, issuer: idp('twca').issuer });
    expect(session.datasets).toEqual(['API.UDauDOLyZg']);
    expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
    expect(Math.abs(Date.parse(session.authTime) - Date.now())).toBeLessThan(60_000);
    const json = JSON.stringify(session);
    expect(json).not.toContain(PERSONAS.wang.nationalId);
    expect(json).not.toMatch(/eyJ/); // no JWT of any kind
    expect(service.session()).toEqual(session);

    // The callback page: bilingual, says to return to the app, and shows no code or token.
    await expect.poll(() => browser.pages.length).toBe(1);
    const page = browser.pages[0]!;
    expect(page.status).toBe(200);
    expect(page.html).toContain('回到 MyData Desktop');
    expect(page.html).toContain('return to MyData Desktop');
    const code = browser.redirects[0]!.searchParams.get('code')!;
    expect(page.html).not.toContain(code);
    expect(page.html).not.toMatch(/eyJ/);

    // The authorization URL the browser got is a PAR reference, not the request itself (no state, nonce or challenge in it).
    const opened = new URL(browser.opened[0]!);
    expect([...opened.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);

    // The platform accepts the DPoP-bound token for the dataset; the token is unreachable from the session object.
    const client = service.platformClient();
    expect(JSON.stringify(client)).toBe('{}');
    const res = await client.fetch('/transactions', { method: 'POST', json: { service_id: 'nonexistent' } });
    expect(res.status).not.toBe(401);
  });

  it('the loopback has closed after the verification', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'otp' }, { hold: true });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ subjectType: 'natural', issuer: idp('cht').issuer, requiredLevel: 4, datasets: ['API.60GGfgGX1A'] });
    await expect.poll(() => browser.redirects.length, { timeout: 10_000 }).toBe(1);
    const redirect = browser.redirects[0]!;
    // A stray request (the browser's favicon) is refused and does not use up the one callback.
    const other = await fetch(new URL('/favicon.ico', redirect), { redirect: 'manual' });
    expect(other.status).toBe(400);
    const res = await fetch(redirect);
    expect(res.status).toBe(200);
    await tx.session;
    await expect(fetch(redirect)).rejects.toThrow();
  });

  it('verifies 青山綠能 through its representative with 工商憑證: the session carries the company', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.qingshan.subject, method: 'moeaca', pin: PERSONAS.qingshan.pin });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ subjectType: 'legal', issuer: idp('twca').issuer, requiredLevel: 0.5, datasets: ['company-registration'] });
    const session = await tx.session;
    expect(session).toMatchObject({ subjectType: 'legal', method: 'moeaca', level: 0.5, company: { ban: '53028473', name: '青山綠能股份有限公司' }, maskedId: 'K13579****' });
    expect(service.fit([{ id: 'company-registration', name_zh: '公司登記', name_en: 'Company registration', subjectType: 'legal', requiredLevel: 0.5 }])).toEqual({ kind: 'ok' });
    expect(service.fit([{ id: 'API.UDauDOLyZg', name_zh: '戶籍', name_en: 'Household', subjectType: 'natural', requiredLevel: 2 }]).kind).toBe('wrong-subject-type');
  });

  // Every level the sandbox offers, each through an IdP that offers the method (G8).
  const natural = VERIFICATION_METHODS.filter((m) => m.subjectType === 'natural');
  for (const method of natural) {
    it(`verifies at level ${method.level} with ${method.id}`, async () => {
      const provider = h.sandbox.idps.find((i) => i.methods.includes(method.id))!;
      const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: method.id, pin: PERSONAS.wang.pin });
      const service = serviceFor(h, browser.openBrowser);
      const tx = await service.begin({ subjectType: 'natural', issuer: provider.issuer, method: method.id, requiredLevel: method.level, datasets: ['API.60GGfgGX1A'] });
      const session = await tx.session;
      expect(session.method).toBe(method.id);
      expect(session.level).toBe(method.level);
    });
  }
});

describe('step-up (G8)', () => {
  it('asks for a stronger verification limited to qualifying methods, and says why', async () => {
    const weak = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'otp' });
    let open = weak.openBrowser;
    const service = serviceFor(h, (url) => open(url));
    await (await service.begin({ subjectType: 'natural', issuer: idp('twca').issuer, requiredLevel: 4, datasets: ['API.60GGfgGX1A'] })).session;
    const first = service.session()!;
    expect(first.level).toBe(4);

    const income = { id: 'API.syWqjr4flJ', name_zh: '所得資料', name_en: 'Income tax', subjectType: 'natural' as const, requiredLevel: 1 };
    const fit = service.fit([income]);
    if (fit.kind !== 'step-up') throw new Error(`expected a step-up, got ${fit.kind}`);
    expect(fit.requiredLevel).toBe(1);
    expect(fit.methods).toEqual(['moica', 'chip-bank-card', 'hw-bank-cert', 'tw-fido']);
    expect(fit.reason.zh).toContain('所得資料');
    expect(fit.reason.en).toContain('level 1');

    // The IdP is told to offer only qualifying methods: the one-time code is no longer on its page.
    const strong = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'otp' }, { hold: true });
    open = strong.openBrowser;
    const tx = await service.begin({ subjectType: 'natural', issuer: idp('twca').issuer, requiredLevel: fit.requiredLevel, datasets: ['API.syWqjr4flJ'], reason: fit.reason });
    expect(tx.reason).toEqual(fit.reason);
    await expect.poll(() => strong.pages.length + strong.redirects.length, { timeout: 10_000 }).toBe(1);
    expect(strong.pages[0]?.html).toContain('method otp not offered: moica,hw-bank-cert');
    tx.cancel();
    await expect(tx.session).rejects.toMatchObject({ code: 'IDENTITY_CANCELLED' });

    const good = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'hw-bank-cert', pin: PERSONAS.wang.pin });
    open = good.openBrowser;
    const stepped = await (await service.begin({ subjectType: 'natural', issuer: idp('twca').issuer, requiredLevel: 1, datasets: ['API.syWqjr4flJ'] })).session;
    expect(stepped.level).toBe(0.2);
    expect(stepped.id).not.toBe(first.id);
    expect(service.fit([income])).toEqual({ kind: 'ok' });
  });

  it('refuses a preferred method that does not qualify, before any browser opens', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'otp' });
    const service = serviceFor(h, browser.openBrowser);
    await expect(service.begin({ subjectType: 'natural', issuer: idp('twca').issuer, method: 'otp', requiredLevel: 2, datasets: [] })).rejects.toMatchObject({ code: 'IDENTITY_METHOD_NOT_QUALIFYING' });
    await expect(service.begin({ subjectType: 'legal', issuer: idp('cht').issuer, requiredLevel: 0.5, datasets: [] })).rejects.toMatchObject({ code: 'IDENTITY_NO_QUALIFYING_METHOD' });
    expect(browser.opened).toEqual([]);
  });
});

describe('the surface main wires', () => {
  it('reopenBrowser opens the same pushed request again; only accredited authorization URLs pass the origin check', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin }, { hold: true });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ subjectType: 'natural', issuer: idp('cht').issuer, requiredLevel: 0, datasets: [] });
    await tx.reopenBrowser();
    expect(browser.opened).toHaveLength(2);
    expect(browser.opened[1]).toBe(browser.opened[0]);
    expect(await service.isAccreditedAuthorizationUrl(browser.opened[0]!)).toBe(true);
    expect(await service.isAccreditedAuthorizationUrl(`${idp('cht').issuer}/token`)).toBe(false);
    expect(await service.isAccreditedAuthorizationUrl('https://evil.example/auth')).toBe(false);
    expect(await service.isAccreditedAuthorizationUrl('not a url')).toBe(false);
    expect(service.transaction(tx.id)).toBe(tx);
    tx.cancel();
    await expect(tx.session).rejects.toMatchObject({ code: 'IDENTITY_CANCELLED' });
  });

  it('the platform client sends the token to the platform API only', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
    const service = serviceFor(h, browser.openBrowser);
    await (await service.begin({ subjectType: 'natural', issuer: idp('twca').issuer, requiredLevel: 2, datasets: ['API.UDauDOLyZg'] })).session;
    const client = service.platformClient();
    await expect(client.fetch(`${idp('twca').issuer}/me`)).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_ORIGIN_REFUSED' });
    await expect(client.fetch('https://evil.example/transactions')).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_ORIGIN_REFUSED' });
    // Without the session's token the platform refuses; with it, it does not (the DPoP proof and token are accepted).
    const anonymous = await fetch(`${h.sandbox.platform}/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    const authed = await client.fetch('/transactions', { method: 'POST', json: {} });
    expect(authed.status).not.toBe(401);
  });
});

describe('sign-out', () => {
  it('drops the session and disables the platform client it handed out', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
    const changes: unknown[] = [];
    const service = serviceFor(h, browser.openBrowser, { onSessionChange: (s) => changes.push(s) });
    await (await service.begin({ subjectType: 'natural', issuer: idp('cht').issuer, requiredLevel: 0, datasets: [] })).session;
    const client = service.platformClient();
    service.signOut();
    expect(service.session()).toBeNull();
    expect(changes.at(-1)).toBeNull();
    await expect(client.fetch('/transactions')).rejects.toMatchObject({ code: 'IDENTITY_NO_SESSION' });
    expect(() => service.platformClient()).toThrow(expect.objectContaining({ code: 'IDENTITY_NO_SESSION' }));
  });
});

describe('expiry', () => {
  it('announces the end of a session when its time runs out, without waiting to be asked', async () => {
    // Fake timers that still advance with real time, so the login's own waits run; then jump to the expiry.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
      const changes: unknown[] = [];
      const service = serviceFor(h, browser.openBrowser, { onSessionChange: (s) => changes.push(s) });
      const session = await (await service.begin({ subjectType: 'natural', issuer: idp('cht').issuer, requiredLevel: 0, datasets: [] })).session;
      expect(changes.at(-1)).toEqual(session);
      const client = service.platformClient();
      vi.advanceTimersByTime(Date.parse(session.expiresAt) - Date.now() - 1_000);
      expect(changes.at(-1)).toEqual(session);
      vi.advanceTimersByTime(2_000);
      expect(changes.at(-1)).toBeNull();
      expect(service.session()).toBeNull();
      await expect(client.fetch('/transactions')).rejects.toMatchObject({ code: 'IDENTITY_NO_SESSION' });
    } finally {
      vi.useRealTimers();
    }
  });
});
