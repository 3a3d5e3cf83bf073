// ConsentService with a scripted platform: 429 waits as Retry-After says, nothing is recorded before the platform's word,
// a delivery is recorded once per dataset with its code, all-failed (504) and expired (410) are failures, and a timeout
// records nothing (the transaction goes on).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEntryInput } from '../../../electron/contract/history.ts';
import { ConsentService } from '../../../electron/core/consent/service.ts';
import { SESSION, TERMS_TEXT, loanService, sha } from './fixtures.ts';

const PLATFORM = 'http://127.0.0.1:4000';
const RETURN = 'http://127.0.0.1:4100/return';

interface Scripted { status: number; body?: unknown; headers?: Record<string, string> }

function harness(script: Scripted[], options: { followTimeoutMs?: number } = {}) {
  const service = loanService();
  const appended: HistoryEntryInput[] = [];
  const sleeps: number[] = [];
  const calls: { path: string; method: string; json?: unknown }[] = [];
  let now = Date.parse('2026-11-27T04:00:00Z');
  const requestView = {
    request_uri: 'urn:mydata:request:r1', expires_at: '2026-11-27T05:00:00.000Z', service,
    service_provider: { ...service.organization, origin: 'http://127.0.0.1:4100' }, purpose_zh: '審核', purpose_en: 'Assess', return_url: RETURN,
  };
  const consent = new ConsentService({
    identity: {
      session: () => SESSION,
      fit: () => ({ kind: 'ok' }),
      platformClient: () => ({
        fetch: async (path, request = {}) => {
          calls.push({ path, method: request.method ?? 'GET', json: request.json });
          if (request.method === 'POST') return Response.json({ tx_id: 'tx1', status: 429 }, { status: 201 });
          const next = script.shift() ?? { status: 429, headers: { 'retry-after': '1' } };
          return new Response(next.status === 205 ? null : JSON.stringify(next.body ?? { tx_id: 'tx1', status: next.status, datasets: [] }), { status: next.status, headers: next.headers ?? {} });
        },
      }),
    },
    directory: { get: async () => ({ platform: PLATFORM, services: [service], notices: [], metadata: { name: { zh: '沙盒', en: 'Sandbox' } } }) },
    stores: {
      get: async () => ({
        vault: { deriveKey: () => new Uint8Array(32).fill(1) },
        history: { append: async (e: HistoryEntryInput) => { appended.push(e); }, head: () => 'cd'.repeat(32), get length() { return appended.length; }, records: () => appended.map((e) => ({ tx_id: e.tx_id, kind: e.kind })) },
      }),
    },
    profileDir: mkdtempSync(join(tmpdir(), 'consent-svc-')),
    clock: { now: () => new Date(now) },
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    fetch: (async (url: string) => {
      if (url.includes('/requests/')) return Response.json(requestView);
      return new Response('{}', { status: 404 });
    }) as typeof fetch,
    ...options,
  });
  const submit = () => consent.submit({ serviceId: service.id, requestUri: 'urn:mydata:request:r1', termsShownSha256: sha(TERMS_TEXT), declined: [{ dataset: 'API.syWqjr4flJ', field: 'employer_name' }], decision: 'consent' });
  return { consent, appended, sleeps, calls, submit };
}

const codes = (datasets: [string, number][]) => ({ tx_id: 'tx1', status: 0, datasets: datasets.map(([id, code]) => ({ id, provider: 'p', code })) });

describe('ConsentService against a scripted platform', () => {
  it('sends the consent without the declined field, waits Retry-After on 429, keeps polling while ready, then records the delivery once', async () => {
    const h = harness([
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200, body: codes([['API.UDauDOLyZg', 200], ['API.syWqjr4flJ', 200]]) },
      { status: 201, body: codes([['API.UDauDOLyZg', 200], ['API.syWqjr4flJ', 504]]) },
    ]);
    const outcome = await h.submit();
    const post = h.calls.find((c) => c.method === 'POST')!;
    expect(post.json).toMatchObject({
      service_id: 'sp-bank-loan', delivery: 'service-provider', request_uri: 'urn:mydata:request:r1', decision: 'consent', terms_sha256: sha(TERMS_TEXT),
      datasets: [{ id: 'API.UDauDOLyZg', fields: ['name', 'household_members'] }, { id: 'API.syWqjr4flJ', fields: ['total_income'] }],
    });
    expect(outcome.returnAllowed).toBe(true);
    expect(h.appended).toEqual([]);

    const followed = await h.consent.follow(outcome.txId);
    expect(h.sleeps).toEqual([2000, 250]);
    expect(followed.state).toBe('delivered');
    expect(followed.datasets.map((d) => [d.id, d.outcome, d.code])).toEqual([['API.UDauDOLyZg', 'delivered', 200], ['API.syWqjr4flJ', 'failed', 504]]);
    expect(h.appended.map((e) => [e.dataset.id, e.kind, e.result, e.code, e.receipt_id])).toEqual([
      ['API.UDauDOLyZg', 'delivery', 'success', '200', outcome.receiptId],
      ['API.syWqjr4flJ', 'delivery', 'failure', '504', outcome.receiptId],
    ]);
    await h.consent.follow(outcome.txId);
    expect(h.appended).toHaveLength(2);
    expect(h.consent.returnUrl(outcome.txId)).toBe(RETURN);
  });

  it('all providers failed (504) and an expired transaction (410) are recorded as failures, never success', async () => {
    const failed = harness([{ status: 504, body: codes([['API.UDauDOLyZg', 500], ['API.syWqjr4flJ', 504]]) }]);
    const o1 = await failed.submit();
    expect((await failed.consent.follow(o1.txId)).state).toBe('failed');
    expect(failed.appended.map((e) => [e.kind, e.result, e.code])).toEqual([['delivery', 'failure', '500'], ['delivery', 'failure', '504']]);

    const expired = harness([{ status: 410 }]);
    const o2 = await expired.submit();
    expect((await expired.consent.follow(o2.txId)).state).toBe('expired');
    expect(expired.appended.map((e) => [e.kind, e.result, e.code])).toEqual([['failure', 'failure', '410'], ['failure', 'failure', '410']]);
  });

  it('gives up after followTimeoutMs with STATUS_TIMEOUT and records nothing', async () => {
    const h = harness([], { followTimeoutMs: 5000 });
    const outcome = await h.submit();
    await expect(h.consent.follow(outcome.txId)).rejects.toMatchObject({ code: 'CONSENT_STATUS_TIMEOUT' });
    expect(h.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5000);
    expect(h.appended).toEqual([]);
  });

  it('an unknown transaction is refused', async () => {
    const h = harness([]);
    await expect(h.consent.follow('nope')).rejects.toMatchObject({ code: 'CONSENT_UNKNOWN_TRANSACTION' });
    expect(() => h.consent.returnUrl('nope')).toThrow(/CONSENT_UNKNOWN_TRANSACTION/);
  });
});
