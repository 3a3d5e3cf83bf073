// The embedded sandbox platform against real HTTP, real OpenID Connect (PAR, PKCE, DPoP) and real signatures.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox/index.ts';
import { isResidentCertificateNumber, isValidBusinessId, isValidPersonalId } from '../../../electron/common/ids.ts';
import { parseDeepLink as parseAppDeepLink } from '../../../electron/core/deeplink/parse.ts';
import { authorize, Browser, discover, dpopProof, fullConsent, login, platformFetch, thumbprint, type Login } from './helpers.ts';
import { conform } from './openapi.ts';

let sandbox: RunningSandbox;
let stateDir: string;
let offset = 0;
const HOUR = 3600_000;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'mydata-sandbox-test-'));
  sandbox = await startSandbox({ stateDir, preparationMs: 0, clock: () => Date.now() + offset });
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const WANG = { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' };
const QINGSHAN = { subject: 'qingshan-green', method: 'moeaca', pin: '112233' };

/** The app's own parser, told that this sandbox is a known platform. */
function parseDeepLink(link: string): { platform: string; requestUri: string } {
  return parseAppDeepLink(link, [sandbox.platform]);
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

async function unzip(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes));
  const out = new Map<string, Uint8Array>();
  for (const entry of await reader.getEntries()) {
    if (!entry.directory) out.set(entry.filename, await entry.getData(new Uint8ArrayWriter()));
  }
  await reader.close();
  return out;
}

async function consentAndGet(session: Login, serviceId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await platformFetch(sandbox, session, '/transactions', { body: fullConsent(sandbox, serviceId, extra) });
  const body = await json(created);
  expect(created.status, JSON.stringify(body)).toBe(201);
  conform('POST', '/transactions', 201, body);
  return body.tx_id as string;
}

describe('discovery', () => {
  test('platform metadata lists two accredited IdPs, the trust anchor and the levels, and conforms to the OpenAPI document', async () => {
    const response = await fetch(`${sandbox.platform}/.well-known/mydata-platform`);
    const meta = await json(response);
    conform('GET', '/.well-known/mydata-platform', 200, meta);
    const idps = meta.identity_providers as { issuer: string; methods: string[] }[];
    expect(idps.map((i) => i.issuer)).toEqual(sandbox.idps.map((i) => i.issuer));
    expect(idps.length).toBeGreaterThanOrEqual(2);
    expect(new Set(idps.map((i) => new URL(i.issuer).origin)).size).toBe(idps.length);
    expect(idps.filter((i) => i.methods.includes('moeaca'))).toHaveLength(1);
    expect((meta.trust_anchors as string[])[0]).toBe(readFileSync(join(stateDir, 'keys', 'ca.cer')).length > 0 ? sandbox.caPem : '');
    const served = await (await fetch(`${sandbox.platform}/openapi.json`)).text();
    expect(served).toBe(readFileSync(new URL('../../../resources/sandbox/openapi.json', import.meta.url), 'utf8'));
  });

  test('each IdP is an OpenID Provider requiring PAR and PKCE S256, offering DPoP and its methods as acr values', async () => {
    for (const idp of sandbox.idps) {
      const config = await discover(sandbox, idp.id);
      const meta = config.serverMetadata();
      expect(meta.issuer).toBe(idp.issuer);
      expect(meta.require_pushed_authorization_requests).toBe(true);
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.dpop_signing_alg_values_supported).toContain('ES256');
      expect(meta.acr_values_supported).toEqual(idp.methods);
    }
  });

  test('catalogue, registry and notices have the content the app needs, and conform', async () => {
    const services = (await json(await fetch(`${sandbox.platform}/services`))) as unknown as Record<string, unknown>[];
    conform('GET', '/services', 200, services);
    const orgs = (await json(await fetch(`${sandbox.platform}/organizations`))) as unknown as { category: string }[];
    conform('GET', '/organizations', 200, orgs);
    expect(new Set(orgs.map((o) => o.category)).size).toBe(6);
    const selfDownload = services.filter((s) => s.kind === 'self-download');
    expect(selfDownload.length).toBeGreaterThanOrEqual(6);
    expect(new Set(selfDownload.flatMap((s) => (s.datasets as { provider: { id: string } }[]).map((d) => d.provider.id))).size).toBeGreaterThanOrEqual(5);
    expect(services.filter((s) => s.kind === 'service-provider').length).toBeGreaterThanOrEqual(3);
    expect(new Set(services.map((s) => s.status))).toEqual(new Set(['testing', 'pilot', 'live', 'suspended', 'terminated']));
    const fields = services.flatMap((s) => (s.datasets as { fields: { purpose_zh: string | null; required: boolean }[] }[]).flatMap((d) => d.fields));
    expect(fields.some((f) => f.purpose_zh === null)).toBe(true);
    expect(fields.some((f) => !f.required)).toBe(true);
    for (const s of services) {
      const terms = s.terms as { text: string; sha256: string };
      expect(createHash('sha256').update(terms.text).digest('hex')).toBe(terms.sha256);
    }
    const one = await fetch(`${sandbox.platform}/services/sp-bank-loan`);
    conform('GET', '/services/{id}', 200, await json(one));
    const notices = (await json(await fetch(`${sandbox.platform}/notices`))) as unknown as { urgent: boolean }[];
    conform('GET', '/notices', 200, notices);
    expect(notices.some((n) => n.urgent)).toBe(true);
  });

  test('personas: valid national IDs, one new-format 統一證號, companies with valid 統一編號', () => {
    const { people, companies } = sandbox.world;
    expect(people.length).toBeGreaterThanOrEqual(4);
    for (const p of people) expect(isValidPersonalId(p.national_id), p.national_id).toBe(true);
    expect(people.filter((p) => isResidentCertificateNumber(p.national_id))).toHaveLength(1);
    expect(companies.length).toBeGreaterThanOrEqual(2);
    for (const c of companies) expect(isValidBusinessId(c.ban), c.ban).toBe(true);
  });
});

describe('identity providers', () => {
  test('a full PAR + PKCE + DPoP login through the pages yields a DPoP-bound JWT for the platform naming the method', async () => {
    const session = await login(sandbox, { ...WANG, scopes: ['API.UDauDOLyZg', 'API.syWqjr4flJ'] });
    expect(session.claims.acr).toBe('moica');
    expect(session.claims.amr).toEqual(['moica']);
    expect(session.claims.sub).toBe('wang-hsiao-ming');
    const at = claimsOf(session.accessToken);
    expect(at.aud).toBe(sandbox.platform);
    expect(at.acr).toBe('moica');
    expect(at.scope).toBe('dataset:API.UDauDOLyZg dataset:API.syWqjr4flJ');
    expect((at.cnf as { jkt: string }).jkt).toBe(await thumbprint(session.dpopKeys));
  });

  test('an authorization request without PAR is refused', async () => {
    const idp = sandbox.idps[0];
    const url = `${idp?.issuer ?? ''}/auth?client_id=mydata-desktop&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('http://127.0.0.1:5555/callback')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`;
    const response = await new Browser().request(url);
    expect(response.location).not.toBeNull();
    const answer = new URL(response.location ?? '');
    expect(answer.origin + answer.pathname).toBe('http://127.0.0.1:5555/callback');
    expect(answer.searchParams.get('error')).toBe('invalid_request');
    expect(answer.searchParams.get('error_description')).toMatch(/pushed authorization request/i);
    expect(answer.searchParams.get('code')).toBeNull();
  });

  test('a company representative is offered 工商憑證 only, and the token says legal', async () => {
    const flow = await authorize(sandbox, { subject: 'good-days-catering', method: 'moica', scopes: ['company-registration'] });
    expect(flow.callback).toBeNull();
    expect(flow.lastPage).toContain('value="moeaca"');
    expect(flow.lastPage).not.toContain('value="moica"');
    const session = await login(sandbox, { ...QINGSHAN, scopes: ['company-registration'] });
    expect(session.claims.company_id).toBe('53028473');
    expect(claimsOf(session.accessToken).subject_type).toBe('legal');
  });

  test('acr_values limits the methods offered (step-up)', async () => {
    const flow = await authorize(sandbox, { idp: 'cht', subject: 'lin-mei-hua', method: 'otp', scopes: ['API.syWqjr4flJ'], acrValues: ['moica', 'chip-bank-card'] });
    expect(flow.callback).toBeNull();
    expect(flow.lastPage).toContain('value="chip-bank-card"');
    expect(flow.lastPage).not.toContain('value="otp"');
  });

  test('three wrong PINs lock the simulated 自然人憑證, across both IdPs, until reset', async () => {
    for (let i = 0; i < 3; i++) {
      const flow = await authorize(sandbox, { subject: 'huang-ya-ting', method: 'moica', pin: '000000', scopes: [] });
      expect(flow.callback).toBeNull();
      if (i < 2) expect(flow.lastPage).toContain(`${2 - i} attempt`);
    }
    const locked = await authorize(sandbox, { idp: 'cht', subject: 'huang-ya-ting', method: 'moica', pin: '202402', scopes: [] });
    expect(locked.callback).toBeNull();
    expect(locked.lastPage).toContain('locked');
    sandbox.controls.resetCards();
    const ok = await authorize(sandbox, { subject: 'huang-ya-ting', method: 'moica', pin: '202402', scopes: [] });
    expect(ok.callback).not.toBeNull();
  });

  test('one-time code and confirm methods complete, each reported in acr', async () => {
    const otp = await login(sandbox, { subject: 'nguyen-thi-lan', method: 'otp', scopes: ['API.UZQkKbsOpz'] });
    expect(otp.claims.acr).toBe('otp');
    const fido = await login(sandbox, { idp: 'cht', subject: 'nguyen-thi-lan', method: 'tw-fido', scopes: ['API.UZQkKbsOpz'] });
    expect(claimsOf(fido.accessToken).acr).toBe('tw-fido');
  });
});

describe('platform access control', () => {
  let wang: Login;
  beforeAll(async () => {
    wang = await login(sandbox, { ...WANG, scopes: ['API.UDauDOLyZg', 'API.syWqjr4flJ', 'API.UZQkKbsOpz', 'exam-certificates'] });
  });

  test('a level too weak is refused with the dataset and the level needed (G8)', async () => {
    const weak = await login(sandbox, { subject: 'wang-hsiao-ming', method: 'otp', scopes: ['API.UDauDOLyZg'] });
    const response = await platformFetch(sandbox, weak, '/transactions', { body: fullConsent(sandbox, 'sd-household') });
    const body = await json(response);
    expect(response.status).toBe(403);
    conform('POST', '/transactions', 403, body);
    expect(body).toMatchObject({ code: 'INSUFFICIENT_LEVEL', dataset: 'API.UDauDOLyZg', level_required: 2, level_presented: 4 });
  });

  test('a dataset outside the token scope is refused', async () => {
    const narrow = await login(sandbox, { ...WANG, scopes: ['API.syWqjr4flJ'] });
    const response = await platformFetch(sandbox, narrow, '/transactions', { body: fullConsent(sandbox, 'sd-household') });
    expect(response.status).toBe(403);
    expect(await json(response)).toMatchObject({ code: 'INSUFFICIENT_SCOPE', dataset: 'API.UDauDOLyZg' });
  });

  test('wrong subject type: a company session for a personal service, and the reverse', async () => {
    const company = await login(sandbox, { ...QINGSHAN, scopes: ['company-registration'] });
    const personal = await platformFetch(sandbox, company, '/transactions', { body: fullConsent(sandbox, 'sd-household', { subject_type: 'legal' }) });
    expect(personal.status).toBe(403);
    expect((await json(personal)).code).toBe('WRONG_SUBJECT_TYPE');
    const companyService = await platformFetch(sandbox, wang, '/transactions', { body: fullConsent(sandbox, 'sd-company') });
    expect(companyService.status).toBe(403);
    expect((await json(companyService)).code).toBe('WRONG_SUBJECT_TYPE');
  });

  test('DPoP: missing, forged, replayed, wrong method, wrong URL, stale, wrong ath, bearer scheme', async () => {
    const url = `${sandbox.platform}/transactions/nothing`;
    const send = async (headers: Record<string, string>): Promise<Record<string, unknown>> => {
      const response = await fetch(url, { headers });
      const body = await json(response);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^DPoP /);
      conform('GET', '/transactions/{tx_id}', 401, body);
      return body;
    };
    const auth = `DPoP ${wang.accessToken}`;
    expect((await send({ authorization: auth })).code).toBe('DPOP_PROOF_MISSING');
    expect((await send({ authorization: `Bearer ${wang.accessToken}`, dpop: await dpopProof(wang.dpopKeys, 'GET', url, wang.accessToken) })).code).toBe('TOKEN_NOT_DPOP');
    const stranger = await generateKeyPair('ES256');
    expect((await send({ authorization: auth, dpop: await dpopProof(stranger, 'GET', url, wang.accessToken) })).code).toBe('DPOP_KEY_MISMATCH');
    const proof = await dpopProof(wang.dpopKeys, 'GET', url, wang.accessToken);
    const first = await fetch(url, { headers: { authorization: auth, dpop: proof } });
    expect(first.status).toBe(404);
    expect((await send({ authorization: auth, dpop: proof })).code).toBe('DPOP_PROOF_REPLAYED');
    expect((await send({ authorization: auth, dpop: await dpopProof(wang.dpopKeys, 'POST', url, wang.accessToken) })).code).toBe('DPOP_PROOF_METHOD');
    expect((await send({ authorization: auth, dpop: await dpopProof(wang.dpopKeys, 'GET', `${sandbox.platform}/transactions/other`, wang.accessToken) })).code).toBe('DPOP_PROOF_URL');
    expect((await send({ authorization: auth, dpop: await dpopProof(wang.dpopKeys, 'GET', url, wang.accessToken, { iat: Math.floor(Date.now() / 1000) - 3600 }) })).code).toBe('DPOP_PROOF_STALE');
    expect((await send({ authorization: auth, dpop: await dpopProof(wang.dpopKeys, 'GET', url, 'another token') })).code).toBe('DPOP_PROOF_ATH');
    expect((await send({ authorization: 'DPoP not.a.jwt', dpop: proof })).code).toBe('TOKEN_INVALID');
  });

  test('a token for another audience, or from an issuer that is not accredited, is refused', async () => {
    const idpKey = JSON.parse(readFileSync(join(stateDir, 'keys', 'idp-twca.jwk.json'), 'utf8')) as JWK;
    const issuer = sandbox.idps.find((i) => i.id === 'twca')?.issuer ?? '';
    const jkt = await thumbprint(wang.dpopKeys);
    const mint = async (key: CryptoKey, iss: string, aud: string): Promise<string> => new SignJWT({ scope: 'dataset:API.UDauDOLyZg', acr: 'moica', amr: ['moica'], subject_type: 'natural', cnf: { jkt }, client_id: 'mydata-desktop' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: idpKey.kid }).setIssuer(iss).setAudience(aud).setSubject('wang-hsiao-ming')
      .setIssuedAt().setExpirationTime('5m').setJti(randomBytes(8).toString('hex')).sign(key);
    const realKey = (await importJWK(idpKey, 'ES256')) as CryptoKey;
    const url = `${sandbox.platform}/transactions/x`;
    for (const [token, code] of [
      [await mint(realKey, issuer, 'https://other.example/'), 'TOKEN_AUDIENCE'],
      [await mint((await generateKeyPair('ES256')).privateKey, 'https://idp.example/', sandbox.platform), 'TOKEN_ISSUER_NOT_ACCREDITED'],
      [await mint((await generateKeyPair('ES256')).privateKey, issuer, sandbox.platform), 'TOKEN_INVALID'],
    ] as const) {
      const response = await fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: await dpopProof(wang.dpopKeys, 'GET', url, token) } });
      expect(response.status).toBe(401);
      expect((await json(response)).code).toBe(code);
    }
    const control = await mint(realKey, issuer, sandbox.platform);
    const ok = await fetch(url, { headers: { authorization: `DPoP ${control}`, dpop: await dpopProof(wang.dpopKeys, 'GET', url, control) } });
    expect(ok.status).toBe(404);
  });

  test('bad consents: malformed JSON, not JSON, unknown service, missing required field, unknown field, changed terms, suspended service', async () => {
    const raw = async (body: string, type = 'application/json'): Promise<Response> => {
      const url = `${sandbox.platform}/transactions`;
      return fetch(url, { method: 'POST', headers: { authorization: `DPoP ${wang.accessToken}`, dpop: await dpopProof(wang.dpopKeys, 'POST', url, wang.accessToken), 'content-type': type }, body });
    };
    const malformed = await raw('{"service_id":');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).code).toBe('MALFORMED_JSON');
    expect((await json(await raw('service_id=x', 'application/x-www-form-urlencoded'))).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const cases: [Record<string, unknown>, number, string][] = [
      [fullConsent(sandbox, 'sd-household', { service_id: 'no-such-service' }), 404, 'UNKNOWN_SERVICE'],
      [fullConsent(sandbox, 'sd-household', { datasets: [{ id: 'API.UDauDOLyZg', fields: ['name'] }] }), 400, 'REQUIRED_FIELD_MISSING'],
      [fullConsent(sandbox, 'sd-household', { datasets: [{ id: 'API.UDauDOLyZg', fields: ['name', 'blood_type'] }] }), 400, 'UNKNOWN_FIELD'],
      [fullConsent(sandbox, 'sd-household', { terms_sha256: '0'.repeat(64) }), 409, 'TERMS_CHANGED'],
      [fullConsent(sandbox, 'sd-exam'), 409, 'SERVICE_NOT_AVAILABLE'],
      [fullConsent(sandbox, 'sd-household', { delivery: 'service-provider' }), 400, 'WRONG_DELIVERY'],
      [{ service_id: 'sd-household' }, 400, 'INVALID_CONSENT'],
    ];
    for (const [body, status, code] of cases) {
      const response = await platformFetch(sandbox, wang, '/transactions', { body });
      const answer = await json(response);
      expect([response.status, answer.code]).toEqual([status, code]);
      conform('POST', '/transactions', status, answer);
    }
  });
});

describe('transactions', () => {
  let wang: Login;
  beforeAll(async () => {
    wang = await login(sandbox, { ...WANG, scopes: ['API.UDauDOLyZg', 'API.syWqjr4flJ', 'API.UZQkKbsOpz'] });
  });

  test('one-time download: 200 with digests, then 201 for ever after; providers log the transmission (G1, G14)', async () => {
    const tx = await consentAndGet(wang, 'sd-household');
    const status = await platformFetch(sandbox, wang, `/transactions/${tx}`);
    const statusBody = await json(status);
    expect(status.status).toBe(200);
    conform('GET', '/transactions/{tx_id}', 200, statusBody);
    const pkg = await platformFetch(sandbox, wang, `/transactions/${tx}/package`);
    expect(pkg.status).toBe(200);
    const bytes = new Uint8Array(await pkg.arrayBuffer());
    expect(Number(pkg.headers.get('content-length'))).toBe(bytes.length);
    const digest = createHash('sha256').update(bytes).digest('base64');
    expect(pkg.headers.get('repr-digest')).toBe(`sha-256=:${digest}:`);
    expect((statusBody.package as { sha256: string }).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const again = await platformFetch(sandbox, wang, `/transactions/${tx}/package`);
    expect(again.status).toBe(201);
    conform('GET', '/transactions/{tx_id}/package', 201, await json(again));
    expect((await platformFetch(sandbox, wang, `/transactions/${tx}`)).status).toBe(201);
    const logs = sandbox.providerLogs({ tx_id: tx });
    expect(logs).toEqual([expect.objectContaining({ provider: 'moi-dhr', dataset: 'API.UDauDOLyZg', result: 'success', code: 200, recipient: expect.objectContaining({ type: 'self' }), subject: { type: 'natural', id_masked: 'H12604****' } })]);
    const served = await json(await fetch(`${sandbox.platform}/sandbox/provider-logs?tx_id=${tx}`));
    conform('GET', '/sandbox/provider-logs', 200, served);
  });

  test('another subject cannot see or download the transaction', async () => {
    const tx = await consentAndGet(wang, 'sd-income-tax');
    const lin = await login(sandbox, { subject: 'lin-mei-hua', method: 'moica', pin: '135790', scopes: ['API.syWqjr4flJ'] });
    const response = await platformFetch(sandbox, lin, `/transactions/${tx}/package`);
    expect(response.status).toBe(404);
    expect((await json(response)).code).toBe('UNKNOWN_TRANSACTION');
  });

  test('resume: a dropped download continues with Range and the ticket is spent only when complete', async () => {
    const tx = await consentAndGet(wang, 'sd-labor-insurance');
    sandbox.controls.dropNextDownloadAfter(1000);
    const first = await platformFetch(sandbox, wang, `/transactions/${tx}/package`);
    const total = Number(first.headers.get('content-length'));
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      for await (const chunk of first.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(chunk);
        received += chunk.length;
      }
    } catch {
      // the connection was cut on purpose
    }
    expect(received).toBe(1000);
    expect(received).toBeLessThan(total);
    expect((await platformFetch(sandbox, wang, `/transactions/${tx}`)).status).toBe(200);
    const rest = await platformFetch(sandbox, wang, `/transactions/${tx}/package`, { headers: { range: `bytes=${received}-` } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${received}-${total - 1}/${total}`);
    const whole = Buffer.concat([...chunks, new Uint8Array(await rest.arrayBuffer())]);
    expect(whole.length).toBe(total);
    expect(rest.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(whole).digest('base64')}:`);
    expect((await platformFetch(sandbox, wang, `/transactions/${tx}/package`, { headers: { range: 'bytes=0-' } })).status).toBe(201);
    const bad = await consentAndGet(wang, 'sd-labor-insurance');
    expect((await platformFetch(sandbox, wang, `/transactions/${bad}/package`, { headers: { range: 'bytes=99999999-' } })).status).toBe(416);
  });

  test('expiry: 8 hours after it is ready the package is gone (410), with an injected clock', async () => {
    const tx = await consentAndGet(wang, 'sd-income-tax');
    offset = 8 * HOUR - 60_000;
    try {
      expect((await platformFetch(sandbox, wang, `/transactions/${tx}`)).status).toBe(200);
      offset = 8 * HOUR + 1000;
      const expired = await platformFetch(sandbox, wang, `/transactions/${tx}/package`);
      expect(expired.status).toBe(410);
      conform('GET', '/transactions/{tx_id}/package', 410, await json(expired));
    } finally {
      offset = 0;
    }
  });

  test('refusal: 205 with no body (G1: nothing is prepared)', async () => {
    const created = await platformFetch(sandbox, wang, '/transactions', { body: fullConsent(sandbox, 'sd-household', { decision: 'refuse' }) });
    const body = await json(created);
    expect(body.status).toBe(205);
    const status = await platformFetch(sandbox, wang, `/transactions/${String(body.tx_id)}`);
    expect(status.status).toBe(205);
    expect(await status.text()).toBe('');
    expect((await platformFetch(sandbox, wang, `/transactions/${String(body.tx_id)}/package`)).status).toBe(205);
    expect(sandbox.providerLogs({ tx_id: String(body.tx_id) })).toEqual([]);
  });

  test('a provider that fails: 504 when it is the only one, logged as a failure', async () => {
    sandbox.controls.setProviderFailure('mof-fia', 'timeout');
    try {
      const tx = await consentAndGet(wang, 'sd-income-tax');
      const status = await platformFetch(sandbox, wang, `/transactions/${tx}`);
      const body = await json(status);
      expect(status.status).toBe(504);
      conform('GET', '/transactions/{tx_id}', 504, body);
      expect(body.datasets).toEqual([{ id: 'API.syWqjr4flJ', provider: 'mof-fia', code: 504 }]);
      expect(sandbox.providerLogs({ tx_id: tx })).toEqual([expect.objectContaining({ result: 'failure', code: 504 })]);
    } finally {
      sandbox.controls.setProviderFailure('mof-fia', null);
    }
  });
});

describe('preparation', () => {
  test('429 with Retry-After while the providers prepare, then 200', async () => {
    let now = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'mydata-sandbox-prep-'));
    const slow = await startSandbox({ stateDir: dir, preparationMs: 30_000, clock: () => now });
    try {
      const session = await login(slow, { ...WANG, scopes: ['API.UDauDOLyZg'] });
      const created = await platformFetch(slow, session, '/transactions', { body: fullConsent(slow, 'sd-household') });
      const { tx_id: tx, status } = await json(created);
      expect(status).toBe(429);
      const waiting = await platformFetch(slow, session, `/transactions/${String(tx)}`);
      expect(waiting.status).toBe(429);
      expect(waiting.headers.get('retry-after')).toBe('30');
      conform('GET', '/transactions/{tx_id}', 429, await json(waiting));
      expect((await platformFetch(slow, session, `/transactions/${String(tx)}/package`)).status).toBe(429);
      now += 30_000;
      expect((await platformFetch(slow, session, `/transactions/${String(tx)}`)).status).toBe(200);
    } finally {
      await slow.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('service providers (G5)', () => {
  const bank = (): NonNullable<RunningSandbox['serviceProviders'][number]> => {
    const sp = sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan');
    if (!sp) throw new Error('no bank');
    return sp;
  };

  test('request round trip: signed request → deep link → consent with a declined optional field → callback → one fetch, then 201', async () => {
    const { deep_link: deepLink } = await bank().createRequest({ state: 'loan-42' });
    const link = parseDeepLink(deepLink);
    expect(link.platform).toBe(sandbox.platform);
    const view = await fetch(`${sandbox.platform}/requests/${encodeURIComponent(link.requestUri)}`);
    const request = await json(view);
    conform('GET', '/requests/{request_uri}', 200, request);
    expect(new URL(request.return_url as string).origin).toBe(bank().origin);

    sandbox.controls.setProviderFailure('mol-bli', 'error');
    try {
      const session = await login(sandbox, { ...WANG, scopes: ['API.UDauDOLyZg', 'API.syWqjr4flJ', 'API.UZQkKbsOpz'] });
      const consent = fullConsent(sandbox, 'sp-bank-loan', { request_uri: link.requestUri });
      (consent.datasets as { id: string; fields: string[] }[])[0] = { id: 'API.UDauDOLyZg', fields: ['name', 'address'] };
      const tx = await consentAndGet(session, 'sp-bank-loan', { request_uri: link.requestUri, datasets: consent.datasets });
      const delivery = await bank().waitForDelivery(tx);
      // The labour insurance bureau was told to fail: the rest is delivered under 403 (partly failed).
      expect(delivery.status).toBe(403);
      expect(delivery.size).toBeGreaterThan(0);

      const again = await fetch(`${sandbox.platform}/sp/transactions/${tx}/package`, { headers: { authorization: `Bearer ${delivery.permission_ticket}` } });
      expect(again.status).toBe(201);
      const status = await platformFetch(sandbox, session, `/transactions/${tx}`);
      const body = await json(status);
      expect(status.status).toBe(201);
      expect(body.datasets).toContainEqual({ id: 'API.UZQkKbsOpz', provider: 'mol-bli', code: 500 });
      expect((await platformFetch(sandbox, session, `/transactions/${tx}/package`)).status).toBe(403);

      const logs = sandbox.providerLogs({ tx_id: tx });
      expect(logs.filter((l) => l.result === 'success').map((l) => l.dataset).sort()).toEqual(['API.UDauDOLyZg', 'API.syWqjr4flJ']);
      expect(logs.find((l) => l.dataset === 'API.UZQkKbsOpz')?.result).toBe('failure');
      expect(logs.every((l) => l.recipient.type === 'service-provider' && l.recipient.id === 'sunny-bank')).toBe(true);

      const reused = await platformFetch(sandbox, session, '/transactions', { body: fullConsent(sandbox, 'sp-bank-loan', { request_uri: link.requestUri }) });
      expect((await json(reused)).code).toBe('REQUEST_USED');
    } finally {
      sandbox.controls.setProviderFailure('mol-bli', null);
    }
  });

  test('the partial package leaves out the declined field and carries the failed dataset\'s code (403)', async () => {
    const { request_uri: uri } = await bank().createRequest();
    const session = await login(sandbox, { ...WANG, scopes: ['API.UDauDOLyZg', 'API.syWqjr4flJ', 'API.UZQkKbsOpz'] });
    sandbox.controls.setProviderFailure('mol-bli', 'timeout');
    let tx: string;
    try {
      const datasets = [
        { id: 'API.UDauDOLyZg', fields: ['name', 'address'] },
        { id: 'API.syWqjr4flJ', fields: ['tax_year', 'total_income'] },
        { id: 'API.UZQkKbsOpz', fields: ['insured_salary'] },
      ];
      tx = await consentAndGet(session, 'sp-bank-loan', { request_uri: uri, datasets });
      await bank().waitForDelivery(tx);
    } finally {
      sandbox.controls.setProviderFailure('mol-bli', null);
    }
    const delivery = bank().received.find((d) => d.tx_id === tx);
    expect(delivery?.status).toBe(403);
    const outer = await unzip(delivery?.bytes ?? new Uint8Array());
    const manifest = new TextDecoder().decode(outer.get('META-INFO/manifest.xml'));
    expect(manifest).toContain('<filename></filename><resource_id>API.UZQkKbsOpz</resource_id><resource_name>勞保投保資料</resource_name><code>504</code>');
    expect([...outer.keys()].sort()).toEqual(['API.UDauDOLyZg.zip', 'API.syWqjr4flJ.zip', 'META-INFO/manifest.xml']);
    const household = await unzip(outer.get('API.UDauDOLyZg.zip') ?? new Uint8Array());
    // Only the consented name and address are in the file: no birth date, no move-in date, no other members.
    const data = JSON.parse(new TextDecoder().decode(household.get('API.UDauDOLyZg.json'))) as { personHouseholdData21: Record<string, string>[]; householdBasicData21: { householdAddress: Record<string, string> } };
    expect(data.personHouseholdData21).toEqual([{ person_name: '王小明', relationship: '' }]);
    expect(data.householdBasicData21.householdAddress).toEqual({ from_site_id: '桃園市中壢區', village: '中美里', neighbor: '012', neighbor_char: '鄰', street_doorplate: '新興路88號5樓' });
  });

  test('the demo page offers a button that yields a deep link', async () => {
    const page = await fetch(`${bank().origin}/`);
    expect(await page.text()).toContain('action="/start"');
    const started = await fetch(`${bank().origin}/start`, { method: 'POST' });
    const html = await started.text();
    const href = /id="deep-link" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(parseDeepLink(href).platform).toBe(sandbox.platform);
  });

  test('bad request objects: bad signature, expired, replayed, wrong audience, unknown provider, another provider\'s service', async () => {
    const spKey = JSON.parse(readFileSync(join(stateDir, 'keys', 'sp-sp-bank-loan.jwk.json'), 'utf8')) as JWK;
    const sign = async (claims: Record<string, unknown>, key: JWK = spKey, lifetime = 300): Promise<string> => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ service_id: 'sp-bank-loan', return_url: `${bank().origin}/return`, callback_url: `${bank().origin}/callback`, ...claims })
        .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt' }).setIssuer(typeof claims.iss === 'string' ? claims.iss : 'sp-bank-loan')
        .setAudience(typeof claims.aud === 'string' ? claims.aud : sandbox.platform).setIssuedAt(now).setExpirationTime(now + lifetime)
        .setJti(randomBytes(10).toString('hex')).sign(await importJWK(key, 'ES256'));
    };
    const post = async (request: string): Promise<[number, unknown]> => {
      const response = await fetch(`${sandbox.platform}/sp/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request }) });
      const body = await json(response);
      if (response.status !== 201) conform('POST', '/sp/requests', response.status, body);
      return [response.status, body.code];
    };
    const other = { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)), alg: 'ES256' };
    expect(await post(await sign({}, other))).toEqual([400, 'REQUEST_SIGNATURE_INVALID']);
    expect(await post(await sign({}, spKey, -10))).toEqual([400, 'REQUEST_EXPIRED']);
    expect(await post(await sign({ aud: 'https://other-platform.example' }))).toEqual([400, 'REQUEST_AUDIENCE']);
    expect(await post(await sign({ iss: 'unknown-sp' }))).toEqual([401, 'REQUEST_UNKNOWN_CLIENT']);
    expect(await post(await sign({ service_id: 'sp-scholarship' }))).toEqual([403, 'REQUEST_SERVICE_MISMATCH']);
    expect(await post(await sign({ return_url: 'https://phishing.example/return' }))).toEqual([400, 'REQUEST_URL_NOT_REGISTERED']);
    expect(await post(await sign({}, spKey, 3600))).toEqual([400, 'REQUEST_INVALID']);
    const good = await sign({});
    expect((await post(good))[0]).toBe(201);
    expect(await post(good)).toEqual([400, 'REQUEST_REPLAYED']);
    const garbage = await fetch(`${sandbox.platform}/sp/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"request": 5' });
    expect((await json(garbage)).code).toBe('MALFORMED_JSON');
    const unknown = await fetch(`${sandbox.platform}/requests/${encodeURIComponent('urn:mydata:request:nope')}`);
    expect(unknown.status).toBe(404);
    conform('GET', '/requests/{request_uri}', 404, await json(unknown));
  });

  test('a terminated service provider cannot register requests (G16)', async () => {
    const quick = sandbox.serviceProviders.find((s) => s.service.id === 'sp-quickloan-credit');
    await expect(quick?.createRequest()).rejects.toThrow(/SERVICE_NOT_AVAILABLE/);
  });
});

describe('packages (ARCHITECTURE §6)', () => {
  test('layout: outer manifest with codes, one signed zip per provider part with JSON and a PDF', async () => {
    const session = await login(sandbox, { ...QINGSHAN, scopes: ['company-registration'] });
    const tx = await consentAndGet(session, 'sd-company');
    const bytes = new Uint8Array(await (await platformFetch(sandbox, session, `/transactions/${tx}/package`)).arrayBuffer());
    const outer = await unzip(bytes);
    expect([...outer.keys()].sort()).toEqual(['META-INFO/manifest.xml', 'company-registration.zip']);
    const manifest = new TextDecoder().decode(outer.get('META-INFO/manifest.xml'));
    expect(manifest).toContain('<filename>company-registration.zip</filename><resource_id>company-registration</resource_id><resource_name>公司登記資料</resource_name><code>200</code>');
    const part = await unzip(outer.get('company-registration.zip') ?? new Uint8Array());
    expect([...part.keys()].sort()).toEqual(['META-INFO/certificate.cer', 'META-INFO/manifest.sha256withrsa', 'META-INFO/manifest.xml', 'company-registration.json', 'company-registration.pdf']);
    // A demo-only dataset (no known real id): the consented fields as a plain JSON object.
    const data = JSON.parse(new TextDecoder().decode(part.get('company-registration.json'))) as Record<string, unknown>;
    expect(data.ban).toBe('53028473');
    expect(data.company_name).toBe('青山綠能股份有限公司');
    expect(new TextDecoder().decode(part.get('company-registration.pdf')?.subarray(0, 5))).toBe('%PDF-');
  });
});
