// Every identity refusal against the sandbox IdPs with real HTTP, each with its own code. Attacks are played by rewriting
// the browser's redirect (what a hostile page or local process can do) or the app's traffic on its way (a network attacker).
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, type JWK } from 'jose';
import { codeOf, interceptingFetch, openSandbox, PERSONAS, scriptedBrowser, serviceFor, type SandboxHandle } from './fixture.ts';
import { deliver } from './idp-driver.ts';

let h: SandboxHandle;
beforeAll(async () => { h = await openSandbox(); });
afterAll(async () => { await h.close(); });

const twca = () => h.sandbox.idps.find((i) => i.id === 'twca')!;
const cht = () => h.sandbox.idps.find((i) => i.id === 'cht')!;
const wangMoica = { subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin };
const begin = { subjectType: 'natural' as const, requiredLevel: 2, datasets: ['API.UDauDOLyZg'] };

/** Rewrites the token endpoint's JSON answer (a network attacker, or a broken IdP). */
function rewriteIdToken(rewrite: (idToken: string) => Promise<string>) {
  return interceptingFetch({
    response: async (url, res) => {
      if (url.pathname !== '/token' || res.status !== 200) return res;
      const body = await res.json() as Record<string, unknown>;
      body.id_token = await rewrite(body.id_token as string);
      return new Response(JSON.stringify(body), { status: 200, headers: res.headers });
    },
  });
}

async function expectRefused(run: { session: Promise<unknown> }, browser: { pages: { status: number; html: string }[] }, code: string): Promise<void> {
  expect(await codeOf(run.session)).toBe(code);
  // The browser's page names the same code and says to go back to the app.
  await expect.poll(() => browser.pages.length).toBe(1);
  expect(browser.pages[0]!.status).toBe(400);
  expect(browser.pages[0]!.html).toContain(code);
  expect(browser.pages[0]!.html).toContain('Return to MyData Desktop');
}

describe('the authorization response (RFC 6749 §10.12, RFC 9207)', () => {
  it('a redirect with a forged state is refused at the loopback (400, IDENTITY_CALLBACK_UNEXPECTED) and does not use up the verification', async () => {
    const browser = scriptedBrowser(wangMoica, { tamper: (u) => { u.searchParams.set('state', 'forged-state-value'); return u; } });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ ...begin, issuer: twca().issuer });
    await expect.poll(() => browser.pages.length, { timeout: 10_000 }).toBe(1);
    expect(browser.pages[0]!.status).toBe(400);
    expect(browser.pages[0]!.html).toContain('IDENTITY_CALLBACK_UNEXPECTED');
    // The verification is still waiting: the genuine redirect, delivered afterwards, completes it.
    const page = await deliver(browser.redirects[0]!);
    expect(page.status).toBe(200);
    expect((await tx.session).issuer).toBe(twca().issuer);
    expect(service.session()).not.toBeNull();
  });

  it('a response claiming another accredited IdP (mix-up) → IDENTITY_ISSUER_MISMATCH', async () => {
    const browser = scriptedBrowser(wangMoica, { tamper: (u) => { u.searchParams.set('iss', cht().issuer); return u; } });
    const service = serviceFor(h, browser.openBrowser);
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_ISSUER_MISMATCH');
  });

  it('a response without iss → IDENTITY_ISSUER_MISMATCH', async () => {
    const browser = scriptedBrowser(wangMoica, { tamper: (u) => { u.searchParams.delete('iss'); return u; } });
    const service = serviceFor(h, browser.openBrowser);
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_ISSUER_MISMATCH');
  });

  it('the person cancels at the IdP (access_denied) → IDENTITY_CANCELLED_AT_IDP', async () => {
    const browser = scriptedBrowser({ ...wangMoica, outcome: 'cancel' });
    const service = serviceFor(h, browser.openBrowser);
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_CANCELLED_AT_IDP');
    expect(browser.redirects[0]!.searchParams.get('error')).toBe('access_denied');
  });

  it('the person denies at the consent page → IDENTITY_CANCELLED_AT_IDP', async () => {
    const browser = scriptedBrowser({ ...wangMoica, outcome: 'deny' });
    const service = serviceFor(h, browser.openBrowser);
    await expectRefused(await service.begin({ ...begin, issuer: cht().issuer }), browser, 'IDENTITY_CANCELLED_AT_IDP');
  });
});

describe('the code exchange', () => {
  it('a code already redeemed, injected into a new verification → IDENTITY_CODE_REPLAYED', async () => {
    const first = scriptedBrowser(wangMoica);
    let open = first.openBrowser;
    const service = serviceFor(h, (u) => open(u));
    await (await service.begin({ ...begin, issuer: twca().issuer })).session;
    const usedCode = first.redirects[0]!.searchParams.get('code')!;

    const second = scriptedBrowser(wangMoica, { tamper: (u) => { u.searchParams.set('code', usedCode); return u; } });
    open = second.openBrowser;
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), second, 'IDENTITY_CODE_REPLAYED');
  });

  it('a wrong PKCE verifier at the token endpoint → IDENTITY_PKCE_REJECTED (the IdP refuses the code)', async () => {
    const browser = scriptedBrowser(wangMoica);
    const fetch = interceptingFetch({
      request: (url, body) => {
        if (url.pathname === '/token' && body?.has('code_verifier')) body.set('code_verifier', 'x'.repeat(64));
        return body;
      },
    });
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_PKCE_REJECTED');
  });

  it('a fresh code issued to another client instance, injected with the right state → IDENTITY_PKCE_REJECTED', async () => {
    // The attacker runs their own verification and keeps its code unredeemed.
    const attacker = scriptedBrowser(wangMoica, { hold: true });
    const attackerService = serviceFor(h, attacker.openBrowser);
    const attackerTx = await attackerService.begin({ ...begin, issuer: twca().issuer });
    await expect.poll(() => attacker.redirects.length, { timeout: 10_000 }).toBe(1);
    const injected = attacker.redirects[0]!.searchParams.get('code')!;
    attackerTx.cancel();

    const victim = scriptedBrowser(wangMoica, { tamper: (u) => { u.searchParams.set('code', injected); return u; } });
    const service = serviceFor(h, victim.openBrowser);
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), victim, 'IDENTITY_PKCE_REJECTED');
  });
});

describe('the ID token (validated by openid-client, then acr by the app)', () => {
  it('nonce mismatch (the IdP was sent another nonce) → IDENTITY_NONCE_MISMATCH', async () => {
    const browser = scriptedBrowser(wangMoica);
    const fetch = interceptingFetch({
      request: (url, body) => {
        if (url.pathname === '/request' && body?.has('nonce')) body.set('nonce', 'attacker-chosen-nonce');
        return body;
      },
    });
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_NONCE_MISMATCH');
  });

  it('acr weaker than required (acr_values stripped on the way; the person picks a one-time code) → IDENTITY_ACR_INSUFFICIENT', async () => {
    const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'otp' });
    const fetch = interceptingFetch({
      request: (url, body) => {
        if (url.pathname === '/request') body?.delete('acr_values');
        return body;
      },
    });
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_ACR_INSUFFICIENT');
  });

  it('an ID token with alg none → IDENTITY_ID_TOKEN_UNSIGNED', async () => {
    const browser = scriptedBrowser(wangMoica);
    const fetch = rewriteIdToken(async (jwt) => {
      const [, payload] = jwt.split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    });
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_ID_TOKEN_UNSIGNED');
  });

  it('an ID token signed by another key under the IdP\'s kid → IDENTITY_ID_TOKEN_BAD_SIGNATURE', async () => {
    const browser = scriptedBrowser(wangMoica);
    const { privateKey } = await generateKeyPair('ES256');
    const fetch = rewriteIdToken(async (jwt) => new SignJWT(decodeJwt(jwt)).setProtectedHeader(decodeProtectedHeader(jwt) as { alg: string }).sign(privateKey));
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_ID_TOKEN_BAD_SIGNATURE');
  });

  it('an expired ID token, properly signed by the IdP\'s own key → IDENTITY_ID_TOKEN_EXPIRED', async () => {
    const jwk = JSON.parse(await readFile(join(h.stateDir, 'keys', 'idp-twca.jwk.json'), 'utf8')) as JWK;
    const key = await importJWK(jwk, 'ES256');
    const browser = scriptedBrowser(wangMoica);
    const fetch = rewriteIdToken(async (jwt) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...decodeJwt(jwt), iat: now - 900, exp: now - 300 }).setProtectedHeader({ alg: 'ES256', kid: jwk.kid! }).sign(key);
    });
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_ID_TOKEN_EXPIRED');
  });
});

describe('the verified identity (G2)', () => {
  it('an ID token, signed by the IdP, whose national ID fails its checksum → IDENTITY_SUBJECT_MISMATCH', async () => {
    const jwk = JSON.parse(await readFile(join(h.stateDir, 'keys', 'idp-twca.jwk.json'), 'utf8')) as JWK;
    const key = await importJWK(jwk, 'ES256');
    const browser = scriptedBrowser(wangMoica);
    const fetch = rewriteIdToken(async (jwt) => new SignJWT({ ...decodeJwt(jwt), national_id: 'H126047584' }).setProtectedHeader({ alg: 'ES256', kid: jwk.kid! }).sign(key));
    const service = serviceFor(h, browser.openBrowser, { fetch });
    await expectRefused(await service.begin({ ...begin, issuer: twca().issuer }), browser, 'IDENTITY_SUBJECT_MISMATCH');
  });
});

describe('the loopback (RFC 8252 §7.3)', () => {
  it('a callback after the timeout finds nobody listening → IDENTITY_TIMEOUT', async () => {
    const browser = scriptedBrowser(wangMoica, { hold: true });
    const service = serviceFor(h, browser.openBrowser, { loopbackTimeoutMs: 1500 });
    const tx = await service.begin({ ...begin, issuer: twca().issuer });
    expect(tx.deadline.getTime() - Date.now()).toBeLessThanOrEqual(1500);
    expect(await codeOf(tx.session)).toBe('IDENTITY_TIMEOUT');
    await expect.poll(() => browser.redirects.length, { timeout: 10_000 }).toBe(1);
    await expect(deliver(browser.redirects[0]!)).rejects.toThrow();
    expect(service.session()).toBeNull();
  });

  it('a second callback → 409 IDENTITY_CALLBACK_REPEATED; the first decides', async () => {
    const browser = scriptedBrowser(wangMoica, { hold: true });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ ...begin, issuer: twca().issuer });
    await expect.poll(() => browser.redirects.length, { timeout: 10_000 }).toBe(1);
    const redirect = browser.redirects[0]!;
    const forged = new URL(redirect);
    forged.searchParams.set('code', 'attacker-code');
    const pages = await Promise.all([deliver(redirect), deliver(forged)]);
    const statuses = pages.map((p) => p.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect(pages.find((p) => p.status === 409)!.html).toContain('IDENTITY_CALLBACK_REPEATED');
    expect((await tx.session).method).toBe('moica');
    // And once closed, nothing answers at all.
    await expect(deliver(redirect)).rejects.toThrow();
  });

  it('the app cancels → IDENTITY_CANCELLED and the loopback closes', async () => {
    const browser = scriptedBrowser(wangMoica, { hold: true });
    const service = serviceFor(h, browser.openBrowser);
    const tx = await service.begin({ ...begin, issuer: twca().issuer });
    await expect.poll(() => browser.redirects.length, { timeout: 10_000 }).toBe(1);
    tx.cancel();
    expect(await codeOf(tx.session)).toBe('IDENTITY_CANCELLED');
    await expect(deliver(browser.redirects[0]!)).rejects.toThrow();
    await expect(tx.reopenBrowser()).rejects.toMatchObject({ code: 'IDENTITY_UNKNOWN_TRANSACTION' });
  });

  it('the loopback port in use → IDENTITY_LOOPBACK_UNAVAILABLE, and no browser opens', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    const browser = scriptedBrowser(wangMoica);
    const service = serviceFor(h, browser.openBrowser, { loopbackPort: port });
    expect(await codeOf(service.begin({ ...begin, issuer: twca().issuer }))).toBe('IDENTITY_LOOPBACK_UNAVAILABLE');
    expect(browser.opened).toEqual([]);
    await new Promise((resolve) => squatter.close(resolve));
  });
});

describe('the accredited list (G3)', () => {
  it('an issuer not on the platform\'s list → IDENTITY_ISSUER_NOT_ACCREDITED, before any request to it', async () => {
    let contacted = false;
    const rogue: Server = createServer((_req, res) => { contacted = true; res.writeHead(500).end(); });
    await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
    const rogueIssuer = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}`;
    const browser = scriptedBrowser(wangMoica);
    const service = serviceFor(h, browser.openBrowser);
    expect(await codeOf(service.begin({ ...begin, issuer: rogueIssuer }))).toBe('IDENTITY_ISSUER_NOT_ACCREDITED');
    // A near miss (trailing slash) is not the same issuer either.
    expect(await codeOf(service.begin({ ...begin, issuer: `${twca().issuer}/` }))).toBe('IDENTITY_ISSUER_NOT_ACCREDITED');
    expect(contacted).toBe(false);
    expect(browser.opened).toEqual([]);
    await new Promise((resolve) => rogue.close(resolve));
  });

  it('an accredited IdP that does not answer → IDENTITY_IDP_UNREACHABLE', async () => {
    // A platform whose list names an IdP at a port where nothing listens.
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadIssuer = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise((resolve) => dead.close(resolve));
    const metadata = await (await fetch(`${h.sandbox.platform}/.well-known/mydata-platform`)).json() as { identity_providers: { issuer: string }[] };
    metadata.identity_providers[0]!.issuer = deadIssuer;
    const platform = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata)));
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    const browser = scriptedBrowser(wangMoica);
    const service = serviceFor(h, browser.openBrowser, { platformUrl: `http://127.0.0.1:${(platform.address() as AddressInfo).port}` });
    expect(await codeOf(service.begin({ ...begin, issuer: deadIssuer }))).toBe('IDENTITY_IDP_UNREACHABLE');
    expect(browser.opened).toEqual([]);
    platform.closeAllConnections();
    await new Promise((resolve) => platform.close(resolve));
  });

  it('the platform itself unreachable → IDENTITY_PLATFORM_UNREACHABLE', async () => {
    const service = serviceFor(h, async () => {}, { platformUrl: 'http://127.0.0.1:9' });
    expect(await codeOf(service.begin({ ...begin, issuer: twca().issuer }))).toBe('IDENTITY_PLATFORM_UNREACHABLE');
  });
});
