// The composed app (electron/main/compose.ts) against the sandbox: a delivery to a service provider that an earlier
// run of the app did not see finish is recorded in the history as soon as the person is verified again (G14).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConsentContext, ConsentOutcome } from '../../../electron/contract/consent.ts';
import type { HistoryRecord } from '../../../electron/contract/history.ts';
import type { ComposedApp } from '../../../electron/main/compose.ts';
import { call, composedWorld, quit, verify, type ComposedWorld } from '../composed.ts';
import { openSandbox, type SandboxHandle } from '../identity/fixture.ts';

let h: SandboxHandle;
let profileDir: string;
let world: ComposedWorld;

async function recordsOf(app: ComposedApp, txId: string): Promise<HistoryRecord[]> {
  return (await app.stores.get()).history.records().filter((r) => r.tx_id === txId);
}

beforeAll(async () => {
  h = await openSandbox();
  profileDir = await mkdtemp(join(tmpdir(), 'consent-resume-'));
  world = composedWorld(h, profileDir);
});

afterAll(async () => {
  await h.close();
  await rm(profileDir, { recursive: true, force: true });
});

it('a delivery that finished while the app was closed is recorded after the next verification, once', async () => {
  const bank = h.sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan')!;
  const { request_uri } = await bank.createRequest({ state: 'resume' });

  const first = world.start();
  const ctx = await call<ConsentContext>(first, 'consent:request', { requestUri: request_uri });
  await verify(h, first, ctx.service);
  const outcome = await call<ConsentOutcome>(first, 'consent:submit', { serviceId: ctx.service.id, requestUri: request_uri, termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
  // The app quits before anyone follows the transaction; the platform delivers meanwhile.
  await quit(first);
  await bank.waitForDelivery(outcome.txId);

  const second = world.start();
  expect(await recordsOf(second, outcome.txId)).toEqual([]);
  await verify(h, second, ctx.service);
  await expect.poll(async () => (await recordsOf(second, outcome.txId)).map((r) => [r.dataset.id, r.kind, r.result]), { timeout: 15_000 }).toEqual([
    ['API.UDauDOLyZg', 'delivery', 'success'], ['API.syWqjr4flJ', 'delivery', 'success'], ['API.UZQkKbsOpz', 'delivery', 'success'],
  ]);
  expect((await recordsOf(second, outcome.txId)).every((r) => r.receipt_id === outcome.receiptId)).toBe(true);

  // Verifying again later adds nothing.
  second.identity!.signOut();
  await verify(h, second, ctx.service);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await recordsOf(second, outcome.txId)).toHaveLength(3);
  await quit(second);
});
