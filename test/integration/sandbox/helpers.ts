// Test helpers that act as the desktop app against a running sandbox: a real OIDC login (PAR, PKCE, DPoP) driven through the IdP's pages.
import * as client from 'openid-client';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import type { RunningSandbox } from '../../../electron/sandbox/index.ts';

export interface Login {
  config: client.Configuration;
  accessToken: string;
  dpopKeys: CryptoKeyPair;
  dpop: client.DPoPHandle;
  claims: client.IDToken;
}

/** A browser stand-in: follows the IdP's redirects by hand and keeps its cookies. */
export class Browser {
  readonly #cookies = new Map<string, string>();
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ status: number; location: string | null; text: string }> {
    const headers: Record<string, string> = { cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) {
        const value = pair.slice(eq + 1);
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.#cookies.delete(pair.slice(0, eq));
        else this.#cookies.set(pair.slice(0, eq), value);
      }
    }
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location, url).toString() : null, text: await response.text() };
  }
}

export interface LoginChoice {
  idp?: string;
  subject: string;
  method: string;
  pin?: string;
  scopes: string[];
  acrValues?: string[];
  /** Returns the page at which the flow stopped instead of throwing, to test refusals. */
  browser?: Browser;
}

export async function discover(sandbox: RunningSandbox, idpId = 'twca'): Promise<client.Configuration> {
  const idp = sandbox.idps.find((i) => i.id === idpId);
  if (!idp) throw new Error(`no idp ${idpId}`);
  // The sandbox speaks plain HTTP on 127.0.0.1 only (ARCHITECTURE §5), so the test client must allow it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return client.discovery(new URL(idp.issuer), 'mydata-desktop', undefined, client.None(), { execute: [client.allowInsecureRequests] });
}

/** Starts an authorization with PAR and walks the login pages as a person would; returns the final redirect or the page where it stopped. */
export async function authorize(sandbox: RunningSandbox, choice: LoginChoice): Promise<{ config: client.Configuration; dpopKeys: CryptoKeyPair; dpop: client.DPoPHandle; verifier: string; state: string; nonce: string; callback: string | null; lastPage: string; browser: Browser }> {
  const config = await discover(sandbox, choice.idp);
  const dpopKeys = await client.randomDPoPKeyPair('ES256');
  const dpop = client.getDPoPHandle(config, dpopKeys);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const redirectUri = `http://127.0.0.1:${40000 + Math.floor(Math.random() * 20000)}/callback`;
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: redirectUri,
    scope: ['openid', ...choice.scopes.map((s) => `dataset:${s}`)].join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    resource: sandbox.platform,
    ...(choice.acrValues ? { acr_values: choice.acrValues.join(' ') } : {}),
  }, { DPoP: dpop });
  const browser = choice.browser ?? new Browser();
  let response = await browser.request(url.toString());
  const steps: Record<string, string> = { subject: choice.subject, method: choice.method, pin: choice.pin ?? '', otp: '', confirm: 'yes', decision: 'allow' };
  let lastPage = '';
  for (let hop = 0; hop < 20; hop++) {
    if (response.location?.startsWith(redirectUri)) return { config, dpopKeys, dpop, verifier, state, nonce, callback: response.location, lastPage, browser };
    if (response.location) {
      response = await browser.request(response.location);
      continue;
    }
    lastPage = response.text;
    // A page that reports an error (wrong PIN, locked card) is where a person would stop and read.
    if (response.text.includes('role="alert"')) break;
    const form = /<form method="post" action="([^"]+)">/.exec(response.text);
    const action = form?.[1];
    if (!action || response.status !== 200) break;
    const target = new URL(action.replaceAll('&amp;', '&'), url).toString();
    const step = action.split('/').pop() ?? '';
    const fields: Record<string, string> = {};
    if (step === 'subject') fields.subject = steps.subject ?? '';
    if (step === 'method') fields.method = steps.method ?? '';
    if (step === 'consent') fields.decision = steps.decision ?? '';
    if (step === 'credential') {
      if (/name="pin"/.test(response.text)) fields.pin = steps.pin ?? '';
      else if (/name="otp"/.test(response.text)) fields.otp = /(?:sent is|已寄出)：?:? ?(\d{6})/.exec(response.text)?.[1] ?? '';
      else fields.confirm = 'yes';
    }
    if (step === 'abort') break;
    const before = response.text;
    response = await browser.request(target, { form: fields });
    if (!response.location && response.text === before) break;
  }
  return { config, dpopKeys, dpop, verifier, state, nonce, callback: null, lastPage, browser };
}

export async function login(sandbox: RunningSandbox, choice: LoginChoice): Promise<Login> {
  const flow = await authorize(sandbox, choice);
  if (!flow.callback) throw new Error(`login did not finish; last page: ${flow.lastPage.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  const tokens = await client.authorizationCodeGrant(flow.config, new URL(flow.callback), {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  }, undefined, { DPoP: flow.dpop });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token claims');
  return { config: flow.config, accessToken: tokens.access_token, dpopKeys: flow.dpopKeys, dpop: flow.dpop, claims };
}

/** A DPoP proof made by hand, so tests can forge, replay and skew them. */
export async function dpopProof(keys: CryptoKeyPair, htm: string, htu: string, accessToken: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const jwk: JWK = await exportJWK(keys.publicKey);
  return new SignJWT({ htm, htu, jti: randomBytes(12).toString('base64url'), ath: createHash('sha256').update(accessToken).digest('base64url'), ...overrides })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .setIssuedAt(typeof overrides.iat === 'number' ? overrides.iat : Math.floor(Date.now() / 1000))
    .sign(keys.privateKey);
}

export async function thumbprint(keys: CryptoKeyPair): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(keys.publicKey));
}

/** Calls the platform as the app would, with a fresh DPoP proof per request. */
export async function platformFetch(sandbox: RunningSandbox, session: Login, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const url = `${sandbox.platform}${path}`;
  const proof = await dpopProof(session.dpopKeys, method, url.split('?')[0] ?? url, session.accessToken);
  return fetch(url, {
    method,
    headers: {
      authorization: `DPoP ${session.accessToken}`,
      dpop: proof,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** The consent a person gives when they accept everything a service asks for. */
export function fullConsent(sandbox: RunningSandbox, serviceId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const service = sandbox.world.services.find((s) => s.id === serviceId);
  if (!service) throw new Error(`no service ${serviceId}`);
  return {
    service_id: service.id,
    datasets: service.datasets.map((d) => ({ id: d.id, fields: d.fields.map((f) => f.name) })),
    terms_sha256: service.terms.sha256,
    subject_type: service.subject_type,
    delivery: service.kind === 'self-download' ? 'self' : 'service-provider',
    ...extra,
  };
}
