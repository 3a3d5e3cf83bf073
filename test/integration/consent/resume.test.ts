// The composed app (electron/main/compose.ts) against the sandbox: a delivery to a service provider that an earlier
// run of the app did not see finish is recorded in the history as soon as the person is verified again (G14).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConsentContext, ConsentOutcome } from '../../../electron/contract/consent.ts';
import type { HistoryRecord } from '../../../electron/contract/history.ts';
import type { KeyValueStore } from '../../../electron/core/ports.ts';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter, type SenderInfo } from '../../../electron/main/ipc.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';
import { openSandbox, PERSONAS, scriptedBrowser, type SandboxHandle } from '../identity/fixture.ts';

const SENDER: SenderInfo = { frameUrl: 'app://app/index.html#/consent', isTopFrame: true };

let h: SandboxHandle;
let profileDir: string;
const settings = new Map<string, unknown>();
const settingsStore: KeyValueStore = {
  get: (key) => settings.get(key),
  set: (key, value) => void settings.set(key, value),
  delete: (key) => void settings.delete(key),
  get store() {
    return Object.fromEntries(settings);
  },
};

function start(): ComposedApp {
  const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
  return composeApp({
    settingsStore,
    keyProtector: insecureTestProtector(),
    shell: { open: browser.openBrowser },
    clock: { now: () => new Date() },
    emit: createEventEmitter({ send: () => undefined }),
    runtime: 'bridge',
    version: '0.0.0-test',
    profileDir,
    platformUrl: h.sandbox.platform,
    isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
  });
}

async function call<T>(app: ComposedApp, channel: string, payload: unknown): Promise<T> {
  const answer = (await app.dispatcher.dispatch(SENDER, channel, payload)) as { ok: boolean; value?: unknown; error?: { code: string } };
  if (!answer.ok) throw new Error(`${channel}: ${answer.error?.code ?? '?'}`);
  return answer.value as T;
}

async function verify(app: ComposedApp, ctx: ConsentContext): Promise<void> {
  const issuer = h.sandbox.idps.find((i) => i.id === 'twca')!.issuer;
  const tx = await app.identity.begin({ subjectType: 'natural', issuer, requiredLevel: ctx.service.level_required, datasets: ctx.service.datasets.map((d) => d.id) });
  await tx.session;
}

async function recordsOf(app: ComposedApp, txId: string): Promise<HistoryRecord[]> {
  return (await app.stores.get()).history.records().filter((r) => r.tx_id === txId);
}

beforeAll(async () => {
  h = await openSandbox();
  profileDir = await mkdtemp(join(tmpdir(), 'consent-resume-'));
});

afterAll(async () => {
  await h.close();
  await rm(profileDir, { recursive: true, force: true });
});

it('a delivery that finished while the app was closed is recorded after the next verification, once', async () => {
  const bank = h.sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan')!;
  const { request_uri } = await bank.createRequest({ state: 'resume' });

  const first = start();
  const ctx = await call<ConsentContext>(first, 'consent:request', { requestUri: request_uri });
  await verify(first, ctx);
  const outcome = await call<ConsentOutcome>(first, 'consent:submit', { serviceId: ctx.service.id, requestUri: request_uri, termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
  // The app quits before anyone follows the transaction; the platform delivers meanwhile.
  await first.stores.close();
  first.dispose();
  await bank.waitForDelivery(outcome.txId);

  const second = start();
  expect(await recordsOf(second, outcome.txId)).toEqual([]);
  await verify(second, ctx);
  await expect.poll(async () => (await recordsOf(second, outcome.txId)).map((r) => [r.dataset.id, r.kind, r.result]), { timeout: 15_000 }).toEqual([
    ['household-registration', 'delivery', 'success'], ['income-tax', 'delivery', 'success'], ['labor-insurance', 'delivery', 'success'],
  ]);
  expect((await recordsOf(second, outcome.txId)).every((r) => r.receipt_id === outcome.receiptId)).toBe(true);

  // Verifying again later adds nothing.
  second.identity.signOut();
  await verify(second, ctx);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await recordsOf(second, outcome.txId)).toHaveLength(3);
  await second.stores.close();
  second.dispose();
});
