// Integration: the real composition (compose.ts) runs the journeys against the sandbox through its IPC
// dispatcher — a self-download, a refusal, deliveries to a service provider (one with a provider failing) — and the
// app's history then matches the sandbox providers' logs (G14): the same tx_ids, datasets and results. The history
// screen's own channels (state, stats, CSV export, PDPA letter) are checked against the same logs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, EventData, EventName, HistoryRecord, InvokeResult, Payload, Result } from '../../../electron/contract/index.ts';
import { verifyCsvExport } from '../../../electron/core/history/export.ts';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter, type SenderInfo } from '../../../electron/main/ipc.ts';
import type { ServiceProviderSim } from '../../../electron/sandbox/index.ts';
import { openSandbox, PERSONAS, scriptedBrowser, type SandboxHandle } from '../identity/fixture.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';

const SENDER: SenderInfo = { frameUrl: 'app://app/index.html', isTopFrame: true };
const SERVICES = ['sd-household', 'sd-income-tax', 'sp-bank-loan'];

let h: SandboxHandle;
let profileDir: string;
let app: ComposedApp;
const events: { event: string; data: unknown }[] = [];
const waiters: (() => void)[] = [];

async function call<C extends ChannelName>(channel: C, payload: Payload<C>): Promise<Result<C>> {
  const answer = (await app.dispatcher.dispatch(SENDER, channel, payload)) as InvokeResult<C>;
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.code}: ${answer.error.message_en}`);
  return answer.value;
}

/** Resolves with the first event (seen so far or to come) that matches. */
async function eventWhere<E extends EventName>(event: E, match: (data: EventData<E>) => boolean, timeoutMs = 30_000): Promise<EventData<E>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = events.find((e) => e.event === event && match(e.data as EventData<E>));
    if (hit) return hit.data as EventData<E>;
    if (Date.now() > deadline) throw new Error(`no ${event} event within ${String(timeoutMs)} ms`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
}

const bank = (): ServiceProviderSim => {
  const sp = h.sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan');
  if (!sp) throw new Error('the sandbox has no sp-bank-loan');
  return sp;
};

async function history(): Promise<HistoryRecord[]> {
  return (await call('history:query', { order: 'oldest', limit: 100_000 })).records;
}

/** One tx's journey results, as the providers logged them and as the app recorded them. */
function logged(txId: string): string[] {
  return h.sandbox
    .providerLogs({ tx_id: txId })
    .map((l) => `${l.tx_id} ${l.dataset} ${l.result}`)
    .sort();
}

async function recorded(txId: string): Promise<string[]> {
  return (await history())
    .filter((r) => r.tx_id === txId)
    .map((r) => `${r.tx_id} ${r.dataset.id} ${r.result}`)
    .sort();
}

const txs = { selfDownload: '', refusal: '', delivery: '', failedDelivery: '' };

beforeAll(async () => {
  h = await openSandbox();
  profileDir = await mkdtemp(join(tmpdir(), 'history-journeys-'));
  const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
  app = composeApp({
    settingsStore: memoryStore(),
    keyProtector: insecureTestProtector(),
    shell: { open: browser.openBrowser },
    clock: { now: () => new Date() },
    emit: createEventEmitter({
      send: (event, data) => {
        events.push({ event, data });
        for (const wake of waiters.splice(0)) wake();
      },
    }),
    runtime: 'bridge',
    version: '0.0.0-it',
    profileDir,
    platformUrl: h.sandbox.platform,
    isTrustedOrigin: () => true,
  });

  // One verification for every dataset of the journeys, at the strictest level they need (lower is stronger).
  const services = h.sandbox.world.services.filter((s) => SERVICES.includes(s.id));
  const datasets = [...new Set(services.flatMap((s) => s.datasets.map((d) => d.id)))];
  const level = Math.min(...services.map((s) => s.level_required));
  const idp = h.sandbox.idps.find((i) => i.id === 'twca');
  if (!idp) throw new Error('the sandbox has no twca IdP');
  const ticket = await call('identity:begin', { subjectType: 'natural', issuer: idp.issuer, requiredLevel: level, datasets });
  const result = await eventWhere('identity:result', (r) => r.transactionId === ticket.transactionId);
  expect(result.ok).toBe(true);

  // 1. Self-download: consent, then the one-time download into the vault (the download writes the history).
  const household = await call('consent:context', { serviceId: 'sd-household' });
  const sd = await call('consent:submit', { serviceId: 'sd-household', termsShownSha256: household.service.terms.sha256, declined: [], decision: 'consent' });
  txs.selfDownload = sd.txId;
  expect((await call('consent:follow', { txId: sd.txId })).state).toBe('ready');
  const { taskId } = await call('package:download', { txId: sd.txId, serviceId: 'sd-household', receiptId: sd.receiptId });
  const task = await eventWhere('package:task', (t) => t.taskId === taskId && (t.state === 'done' || t.state === 'failed'));
  expect(task.state).toBe('done');

  // 2. Refusal of a self-download (205 to the platform; the history records it, no provider transmits).
  const tax = await call('consent:context', { serviceId: 'sd-income-tax' });
  const refused = await call('consent:submit', { serviceId: 'sd-income-tax', termsShownSha256: tax.service.terms.sha256, declined: [], decision: 'refuse' });
  expect(refused.status).toBe(205);
  txs.refusal = refused.txId;

  // 3. Delivery to a service provider (晴天商業銀行), every dataset delivered.
  const first = await bank().createRequest({ state: 'history-1' });
  const ctx1 = await call('consent:request', { requestUri: first.request_uri });
  const delivered = await call('consent:submit', { serviceId: 'sp-bank-loan', requestUri: first.request_uri, termsShownSha256: ctx1.service.terms.sha256, declined: [], decision: 'consent' });
  expect((await call('consent:follow', { txId: delivered.txId })).state).toBe('delivered');
  txs.delivery = delivered.txId;

  // 4. The same with one data provider failing: that dataset is a failure in both records.
  const second = await bank().createRequest({ state: 'history-2' });
  const ctx2 = await call('consent:request', { requestUri: second.request_uri });
  h.sandbox.controls.setProviderFailure('mol-bli', 'error');
  try {
    const partly = await call('consent:submit', { serviceId: 'sp-bank-loan', requestUri: second.request_uri, termsShownSha256: ctx2.service.terms.sha256, declined: [], decision: 'consent' });
    await call('consent:follow', { txId: partly.txId });
    txs.failedDelivery = partly.txId;
  } finally {
    h.sandbox.controls.setProviderFailure('mol-bli', null);
  }
}, 120_000);

afterAll(async () => {
  app.dispose();
  await h.close();
  await rm(profileDir, { recursive: true, force: true });
});

describe('the history after the journeys matches the providers’ logs (G14)', () => {
  it('every transmission the providers logged is in the history with the same tx_id, dataset and result, and nothing more', async () => {
    const mine = await history();
    const appTransmissions = mine
      .filter((r) => r.kind === 'self-download' || r.kind === 'delivery')
      .map((r) => `${r.tx_id} ${r.dataset.id} ${r.result}`)
      .sort();
    const providers = h.sandbox
      .providerLogs()
      .map((l) => `${l.tx_id} ${l.dataset} ${l.result}`)
      .sort();
    expect(providers.length).toBeGreaterThanOrEqual(7);
    expect(appTransmissions).toEqual(providers);
  });

  it('journey by journey: self-download, delivery, delivery with a failing provider', async () => {
    expect(await recorded(txs.selfDownload)).toEqual(logged(txs.selfDownload));
    expect(logged(txs.selfDownload)).toEqual([`${txs.selfDownload} API.UDauDOLyZg success`]);
    expect(await recorded(txs.delivery)).toEqual(logged(txs.delivery));
    expect(logged(txs.delivery).every((l) => l.endsWith(' success'))).toBe(true);
    expect(await recorded(txs.failedDelivery)).toEqual(logged(txs.failedDelivery));
    expect(logged(txs.failedDelivery)).toContain(`${txs.failedDelivery} API.UZQkKbsOpz failure`);
  });

  it('recipients and subjects agree with the logs; a refusal is recorded though no provider transmitted', async () => {
    const mine = await history();
    for (const log of h.sandbox.providerLogs()) {
      const r = mine.find((x) => x.tx_id === log.tx_id && x.dataset.id === log.dataset);
      expect(r, `${log.tx_id} ${log.dataset}`).toBeDefined();
      if (!r) continue;
      expect(r.provider.id).toBe(log.provider);
      expect(r.recipient.kind === 'self' ? 'self' : r.recipient.id).toBe(log.recipient.type === 'self' ? 'self' : log.recipient.id);
      expect(r.subject).toEqual({ masked_id: log.subject.id_masked, type: log.subject.type });
      expect(r.code).toBe(String(log.code));
    }
    expect(logged(txs.refusal)).toEqual([]);
    expect((await history()).filter((r) => r.tx_id === txs.refusal).map((r) => [r.kind, r.result, r.code])).toEqual([['refusal', 'refused', '205']]);
  });

  it('the screen’s channels agree: integrity, facets, chart counts, CSV export and the PDPA letter’s citations', async () => {
    const logs = h.sandbox.providerLogs();
    const state = await call('history:state', {});
    expect(state.integrity.broken).toBeNull();
    expect(state.integrity.count).toBe((await history()).length);
    expect(state.facets.recipients.map((r) => r.id)).toEqual(['self', 'sunny-bank']);

    const stats = await call('history:stats', {});
    expect(stats.transmitted).toBe(logs.filter((l) => l.result === 'success').length);
    expect(stats.recipients.find((r) => r.id === 'sunny-bank')?.count).toBe(logs.filter((l) => l.result === 'success' && l.recipient.id === 'sunny-bank').length);

    const csv = await call('history:export-csv', {});
    expect(csv.canceled).toBe(false);
    const text = await readFile(csv.path ?? '', 'utf8');
    const verdict = verifyCsvExport(text);
    expect(verdict).toMatchObject({ ok: true, chain_head: state.integrity.head, records: state.integrity.count });
    for (const l of logs) expect(text).toContain(l.tx_id);

    const letter = await call('history:pdpa-letter', { organisationId: 'sunny-bank', rights: ['view', 'delete'], language: 'zh-TW' });
    expect(letter.transmissions).toBe(logs.filter((l) => l.result === 'success' && l.recipient.id === 'sunny-bank').length);
    expect((await readFile(letter.path ?? '')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
