// Consent against the sandbox with real HTTP, OIDC and DPoP: a service provider receives exactly the fields consented,
// a refusal reaches the platform (205) and is recorded, a self-download answers its tx_id, and the history holds the right records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../electron/contract/history.ts';
import { ConsentService } from '../../../electron/core/consent/index.ts';
import type { IdentityService } from '../../../electron/core/identity/index.ts';
import { PlatformCatalogue } from '../../../electron/core/platform/catalogue.ts';
import { localStores, type LocalStores } from '../../../electron/core/stores.ts';
import type { ServiceProviderSim } from '../../../electron/sandbox/index.ts';
import { openSandbox, PERSONAS, scriptedBrowser, serviceFor, type SandboxHandle } from '../identity/fixture.ts';
import { deliveredFields } from '../../support/packages.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';

let h: SandboxHandle;
let profileDir: string;
let stores: LocalStores;
let dropTransactions = false;
let identity: IdentityService;
let consent: ConsentService;

const idp = (id: string) => h.sandbox.idps.find((i) => i.id === id)!;
const bank = (): ServiceProviderSim => h.sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan')!;

async function verify(datasets: string[], requiredLevel: number): Promise<void> {
  const tx = await identity.begin({ subjectType: 'natural', issuer: idp('twca').issuer, requiredLevel, datasets });
  await tx.session;
}

async function history(): Promise<readonly HistoryRecord[]> {
  return (await stores.get()).history.records();
}

beforeAll(async () => {
  h = await openSandbox();
  profileDir = await mkdtemp(join(tmpdir(), 'consent-profile-'));
  const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
  identity = serviceFor(h, browser.openBrowser, {
    // The network between app and platform: lets a test cut the consent call itself.
    fetch: async (url, init) => {
      if (dropTransactions && new URL(url).pathname === '/transactions' && init.method === 'POST') throw new TypeError('fetch failed');
      return fetch(url, init);
    },
  });
  stores = localStores({ profileDir, protector: insecureTestProtector(), clock: { now: () => new Date() }, retentionYears: () => 2 });
  const catalogue = new PlatformCatalogue({ platform: h.sandbox.platform, cacheDir: profileDir, clock: { now: () => new Date() } });
  consent = new ConsentService({ identity, directory: catalogue, stores, profileDir, downloadChannel: 'package:download', followTimeoutMs: 20_000 });
});

afterAll(async () => {
  identity.dispose();
  await stores.close();
  await h.close();
  await rm(profileDir, { recursive: true, force: true });
});

describe('a service provider request (G5, G10)', () => {
  it('delivers exactly the fields consented — declined optional fields reach no one — and records each dataset once', async () => {
    const { request_uri } = await bank().createRequest({ state: 'loan-1' });
    const before = await consent.requestContext(request_uri);
    expect(before.service.id).toBe('sp-bank-loan');
    expect(before.request).toMatchObject({ requestUri: request_uri, returnAllowed: true, returnHost: new URL(bank().origin).host, serviceProvider: { id: 'sunny-bank', origin: bank().origin } });
    expect(before.flags).toEqual([{ dataset: 'API.UZQkKbsOpz', field: 'employer_name' }]);
    expect(before.fit.kind).toBe('no-session');
    expect(before.gate.allowed).toBe(true);

    await verify(before.service.datasets.map((d) => d.id), before.service.level_required);
    expect((await consent.requestContext(request_uri)).fit).toEqual({ kind: 'ok' });

    const declined = [
      { dataset: 'API.UDauDOLyZg', field: 'household_members' },
      { dataset: 'API.syWqjr4flJ', field: 'income_items' },
      { dataset: 'API.UZQkKbsOpz', field: 'employer_name' },
    ];
    const headBefore = (await stores.get()).history.head();
    const outcome = await consent.submit({ serviceId: 'sp-bank-loan', requestUri: request_uri, termsShownSha256: before.service.terms.sha256, declined, decision: 'consent' });
    expect(outcome).toMatchObject({ delivery: 'service-provider', decision: 'consent', returnAllowed: true, downloadChannel: null });
    // Nothing is recorded as a success before the platform says so.
    expect((await history()).filter((r) => r.tx_id === outcome.txId)).toEqual([]);

    const followed = await consent.follow(outcome.txId);
    expect(followed.state).toBe('delivered');
    expect(followed.status).toBe(201);
    expect(followed.datasets.map((d) => [d.id, d.outcome, d.code])).toEqual([
      ['API.UDauDOLyZg', 'delivered', 200], ['API.syWqjr4flJ', 'delivered', 200], ['API.UZQkKbsOpz', 'delivered', 200],
    ]);

    const delivery = await bank().waitForDelivery(outcome.txId);
    expect(delivery.status).toBe(200);
    expect(await deliveredFields(delivery.bytes!)).toEqual({
      'API.UDauDOLyZg': ['address', 'name'],
      'API.syWqjr4flJ': ['tax_year', 'total_income'],
      'API.UZQkKbsOpz': ['insured_salary'],
    });
    const logs = h.sandbox.providerLogs({ tx_id: outcome.txId });
    expect(logs.map((l) => [l.dataset, l.result, l.recipient.id]).sort()).toEqual([
      ['API.UDauDOLyZg', 'success', 'sunny-bank'], ['API.UZQkKbsOpz', 'success', 'sunny-bank'], ['API.syWqjr4flJ', 'success', 'sunny-bank'],
    ]);

    const records = (await history()).filter((r) => r.tx_id === outcome.txId);
    expect(records.map((r) => [r.dataset.id, r.kind, r.result, r.code])).toEqual([
      ['API.UDauDOLyZg', 'delivery', 'success', '200'], ['API.syWqjr4flJ', 'delivery', 'success', '200'], ['API.UZQkKbsOpz', 'delivery', 'success', '200'],
    ]);
    expect(records.every((r) => r.receipt_id === outcome.receiptId && r.recipient.kind === 'service-provider' && r.subject?.masked_id === 'H12604****' && r.method === 'moica')).toBe(true);
    // Following again writes nothing more.
    await consent.follow(outcome.txId);
    expect((await history()).filter((r) => r.tx_id === outcome.txId)).toHaveLength(3);

    const receipt = await consent.receipt(outcome.receiptId);
    expect(receipt.history.chain_head).toBe(headBefore);
    expect(receipt.data_categories.find((c) => c.dataset.id === 'API.UDauDOLyZg')?.declined.map((f) => f.name)).toEqual(['household_members']);
    expect(consent.returnUrl(outcome.txId)).toBe(`${bank().origin}/return`);

    // The request is spent: a second answer is refused before anything is sent.
    await expect(consent.submit({ serviceId: 'sp-bank-loan', requestUri: request_uri, termsShownSha256: before.service.terms.sha256, declined: [], decision: 'consent' }))
      .rejects.toMatchObject({ code: 'CONSENT_REQUEST_UNAVAILABLE' });
  });

  it('a provider that fails shows per dataset and is recorded as such', async () => {
    const { request_uri } = await bank().createRequest();
    const ctx = await consent.requestContext(request_uri);
    h.sandbox.controls.setProviderFailure('mol-bli', 'error');
    try {
      const outcome = await consent.submit({ serviceId: 'sp-bank-loan', requestUri: request_uri, termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
      const followed = await consent.follow(outcome.txId);
      expect(followed.state).toBe('delivered');
      expect(followed.datasets.find((d) => d.id === 'API.UZQkKbsOpz')).toMatchObject({ outcome: 'failed', code: 500 });
      const records = (await history()).filter((r) => r.tx_id === outcome.txId);
      expect(records.find((r) => r.dataset.id === 'API.UZQkKbsOpz')).toMatchObject({ kind: 'delivery', result: 'failure', code: '500' });
      expect(records.filter((r) => r.result === 'success')).toHaveLength(2);
    } finally {
      h.sandbox.controls.setProviderFailure('mol-bli', null);
    }
  });

  it('after a restart, a delivery the app did not see finish is followed again and recorded once, from its receipt', async () => {
    const { request_uri } = await bank().createRequest({ state: 'restart-1' });
    const ctx = await consent.requestContext(request_uri);
    const outcome = await consent.submit({ serviceId: 'sp-bank-loan', requestUri: request_uri, termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
    // The app quits here: nobody follows the transaction while the platform delivers.
    await bank().waitForDelivery(outcome.txId);
    expect((await history()).filter((r) => r.tx_id === outcome.txId)).toEqual([]);

    // A new process: same profile and stores, nothing in memory about the transaction.
    const catalogue = new PlatformCatalogue({ platform: h.sandbox.platform, cacheDir: profileDir, clock: { now: () => new Date() } });
    // Not before someone is verified, and not for another person (the receipt's subject decides).
    const someone = (session: ReturnType<IdentityService['session']>) => ({ session: () => session, fit: identity.fit.bind(identity), platformClient: () => identity.platformClient() });
    const current = identity.session();
    expect(await new ConsentService({ identity: someone(null), directory: catalogue, stores, profileDir }).resumeDeliveries()).toEqual([]);
    const other = current === null ? null : { ...current, maskedId: 'A22345****' };
    expect(await new ConsentService({ identity: someone(other), directory: catalogue, stores, profileDir }).resumeDeliveries()).toEqual([]);
    expect((await history()).filter((r) => r.tx_id === outcome.txId)).toEqual([]);

    const restarted = new ConsentService({ identity, directory: catalogue, stores, profileDir, followTimeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const finals = await restarted.resumeDeliveries();
    expect(finals.map((o) => [o.txId, o.state, o.status])).toEqual([[outcome.txId, 'delivered', 201]]);

    const records = (await history()).filter((r) => r.tx_id === outcome.txId);
    expect(records.map((r) => [r.dataset.id, r.kind, r.result, r.code])).toEqual([
      ['API.UDauDOLyZg', 'delivery', 'success', '200'], ['API.syWqjr4flJ', 'delivery', 'success', '200'], ['API.UZQkKbsOpz', 'delivery', 'success', '200'],
    ]);
    const receipt = await restarted.receipt(outcome.receiptId);
    for (const r of records) {
      expect(r).toMatchObject({
        receipt_id: outcome.receiptId,
        terms_sha256: receipt.terms.sha256,
        recipient: { kind: 'service-provider', id: 'sunny-bank' },
        subject: { masked_id: 'H12604****', type: 'natural' },
        method: receipt.verification.method,
        assurance_level: receipt.verification.level,
      });
    }
    // Dated when the platform delivered, not when this run learned of it.
    const status = await identity.platformClient().fetch(`transactions/${outcome.txId}`);
    const deliveredAt = ((await status.json()) as { delivered_at: string }).delivered_at;
    expect(records.map((r) => r.time)).toEqual(records.map(() => new Date(deliveredAt).toISOString()));
    expect(records.every((r) => Date.parse(r.recorded_at) > Date.parse(r.time))).toBe(true);
    // The same as the providers' own logs (G14).
    expect(h.sandbox.providerLogs({ tx_id: outcome.txId }).map((l) => [l.dataset, l.result]).sort()).toEqual(records.map((r) => [r.dataset.id, r.result]).sort());

    // Once recorded, never again (also from yet another process).
    expect(await restarted.resumeDeliveries()).toEqual([]);
    expect(await new ConsentService({ identity, directory: catalogue, stores, profileDir }).resumeDeliveries()).toEqual([]);
    expect((await history()).filter((r) => r.tx_id === outcome.txId)).toHaveLength(3);
  });

  it('a service-provider service cannot be consented without its request', async () => {
    const service = (await consent.context('sp-bank-loan')).service;
    await expect(consent.submit({ serviceId: 'sp-bank-loan', termsShownSha256: service.terms.sha256, declined: [], decision: 'consent' }))
      .rejects.toMatchObject({ code: 'CONSENT_REQUEST_MISSING' });
  });
});

describe('self-download and refusal', () => {
  it('a refusal reaches the platform (205), leaves a receipt and one refusal record per dataset', async () => {
    const ctx = await consent.context('sd-income-tax');
    const outcome = await consent.submit({ serviceId: 'sd-income-tax', termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'refuse' });
    expect(outcome).toMatchObject({ state: 'refused', status: 205, decision: 'refuse', downloadChannel: null });
    const status = await identity.platformClient().fetch(`transactions/${outcome.txId}`);
    expect(status.status).toBe(205);
    const records = (await history()).filter((r) => r.tx_id === outcome.txId);
    expect(records.map((r) => [r.dataset.id, r.kind, r.result, r.code, r.receipt_id])).toEqual([['API.syWqjr4flJ', 'refusal', 'refused', '205', outcome.receiptId]]);
    const receipt = await consent.receipt(outcome.receiptId);
    expect(receipt.decision).toBe('refuse');
    expect(receipt.data_categories[0]!.consented).toEqual([]);
    expect((await consent.receipts()).map((r) => r.receipt_id)).toContain(outcome.receiptId);
    const pdf = await consent.receiptPdf(outcome.receiptId);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('a self-download consent answers its tx_id for the download, and writes no history of its own', async () => {
    const ctx = await consent.context('sd-income-tax');
    const outcome = await consent.submit({ serviceId: 'sd-income-tax', termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
    expect(outcome).toMatchObject({ delivery: 'self', decision: 'consent', downloadChannel: 'package:download', returnAllowed: false });
    const ready = await consent.follow(outcome.txId);
    expect(ready.state).toBe('ready');
    expect((await history()).filter((r) => r.tx_id === outcome.txId)).toEqual([]);
  });

  it('refuses before any call: suspended service, changed terms, a required field declined, a dataset not covered', async () => {
    const count = (await history()).length;
    const exam = await consent.context('sd-exam');
    expect(exam.gate).toMatchObject({ allowed: false });
    await expect(consent.submit({ serviceId: 'sd-exam', termsShownSha256: exam.service.terms.sha256, declined: [], decision: 'consent' })).rejects.toMatchObject({ code: 'SERVICE_SUSPENDED' });
    const tax = await consent.context('sd-income-tax');
    await expect(consent.submit({ serviceId: 'sd-income-tax', termsShownSha256: 'f'.repeat(64), declined: [], decision: 'consent' })).rejects.toMatchObject({ code: 'CONSENT_TERMS_CHANGED' });
    await expect(consent.submit({ serviceId: 'sd-income-tax', termsShownSha256: tax.service.terms.sha256, declined: [{ dataset: 'API.syWqjr4flJ', field: 'tax_year' }], decision: 'consent' }))
      .rejects.toMatchObject({ code: 'CONSENT_REQUIRED_FIELD_DECLINED' });
    const health = await consent.context('sd-health-insurance');
    expect(health.gate.warnings.map((w) => w.code)).toEqual(['SERVICE_STATUS_PILOT']);
    expect(health.fit.kind).toBe('step-up'); // the session does not carry the health insurance scope
    await expect(consent.submit({ serviceId: 'sd-health-insurance', termsShownSha256: health.service.terms.sha256, declined: [], decision: 'consent' })).rejects.toMatchObject({ code: 'CONSENT_STEP_UP_NEEDED' });
    const company = await consent.context('sd-company');
    expect(company.fit.kind).toBe('wrong-subject-type');
    expect((await history()).length).toBe(count);
  });

  it('a consent call that fails after the person confirmed leaves a failure record, never a success', async () => {
    const ctx = await consent.context('sd-income-tax');
    dropTransactions = true;
    try {
      await expect(consent.submit({ serviceId: 'sd-income-tax', termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' })).rejects.toMatchObject({ code: 'CONSENT_PLATFORM_UNREACHABLE' });
    } finally {
      dropTransactions = false;
    }
    const last = (await history()).at(-1)!;
    expect(last).toMatchObject({ kind: 'failure', result: 'failure', code: 'CONSENT_PLATFORM_UNREACHABLE', receipt_id: null, dataset: { id: 'API.syWqjr4flJ' } });
    expect(last.tx_id).toMatch(/^app-/);
  });
});
