// Self-downloads left undone by an earlier run (G1, G14), through the composed app against the sandbox: listed from
// their receipts until the package is kept, downloadable in the next run; one the platform already delivered without a
// copy here is recorded in the history (201) and leaves the list.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConsentContext, ConsentOutcome } from '../../../electron/contract/consent.ts';
import type { DownloadTask, PendingDownload } from '../../../electron/contract/package.ts';
import type { ComposedApp } from '../../../electron/main/compose.ts';
import { call, composedWorld, quit, verify, type ComposedWorld } from '../composed.ts';
import { openSandbox, type SandboxHandle } from '../identity/fixture.ts';

let h: SandboxHandle;
let profileDir: string;
let world: ComposedWorld;

beforeAll(async () => {
  h = await openSandbox();
  profileDir = await mkdtemp(join(tmpdir(), 'pending-downloads-'));
  world = composedWorld(h, profileDir);
});

afterAll(async () => {
  await h.close();
  await rm(profileDir, { recursive: true, force: true });
});

async function consentTo(app: ComposedApp, serviceId: string): Promise<ConsentOutcome> {
  const ctx = await call<ConsentContext>(app, 'consent:context', { serviceId });
  await verify(h, app, ctx.service);
  return call<ConsentOutcome>(app, 'consent:submit', { serviceId, termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
}

async function finished(app: ComposedApp, taskId: string): Promise<DownloadTask> {
  for (let i = 0; i < 200; i++) {
    const task = (await call<DownloadTask[]>(app, 'package:tasks', {})).find((t) => t.taskId === taskId);
    if (task && task.state !== 'waiting' && task.state !== 'downloading' && task.state !== 'verifying') return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the download did not finish');
}

it('lists a consented self-download the last run did not keep, downloads it in this one, then no longer lists it', async () => {
  const first = world.start();
  const household = await consentTo(first, 'sd-household');
  const tax = await consentTo(first, 'sd-income-tax');
  // A refusal is never "pending".
  const refusedCtx = await call<ConsentContext>(first, 'consent:context', { serviceId: 'sd-household' });
  await call<ConsentOutcome>(first, 'consent:submit', { serviceId: 'sd-household', termsShownSha256: refusedCtx.service.terms.sha256, declined: [], decision: 'refuse' });
  // The app quits before either download starts.
  await quit(first);

  const second = world.start();
  const pending = await call<PendingDownload[]>(second, 'package:pending', {});
  expect(pending.map((p) => [p.txId, p.service.id, p.receiptId])).toEqual([
    [tax.txId, 'sd-income-tax', tax.receiptId],
    [household.txId, 'sd-household', household.receiptId],
  ]);

  // Downloaded in this run (after verifying again, as tokens never outlive a run).
  await verify(h, second, (await call<ConsentContext>(second, 'consent:context', { serviceId: 'sd-household' })).service);
  const { taskId } = await call<{ taskId: string }>(second, 'package:download', { txId: household.txId, serviceId: 'sd-household', receiptId: household.receiptId });
  const done = await finished(second, taskId);
  expect(done.state).toBe('done');
  expect((await call<PendingDownload[]>(second, 'package:pending', {})).map((p) => p.txId)).toEqual([tax.txId]);

  // The other one was collected elsewhere meanwhile (the platform spends the ticket): 201, recorded, gone from the list.
  await verify(h, second, (await call<ConsentContext>(second, 'consent:context', { serviceId: 'sd-income-tax' })).service);
  const client = second.identity!.platformClient();
  let ready = 0;
  for (let i = 0; i < 200 && ready !== 200; i++) {
    const status = await client.fetch(`transactions/${tax.txId}`);
    await status.body?.cancel();
    ready = status.status;
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(ready).toBe(200);
  const body = await client.fetch(`transactions/${tax.txId}/package`);
  await body.arrayBuffer();
  const again = await call<{ taskId: string }>(second, 'package:download', { txId: tax.txId, serviceId: 'sd-income-tax', receiptId: tax.receiptId });
  const failed = await finished(second, again.taskId);
  expect(failed).toMatchObject({ state: 'failed', error: { code: 'DOWNLOAD_ALREADY_DELIVERED' } });
  const records = (await second.stores.get()).history.records().filter((r) => r.tx_id === tax.txId);
  expect(records.map((r) => [r.kind, r.result, r.code])).toEqual([['self-download', 'failure', '201']]);
  expect(await call<PendingDownload[]>(second, 'package:pending', {})).toEqual([]);

  // Asking again does not add a second record.
  const third = await call<{ taskId: string }>(second, 'package:download', { txId: tax.txId, serviceId: 'sd-income-tax', receiptId: tax.receiptId });
  await finished(second, third.taskId);
  expect((await second.stores.get()).history.records().filter((r) => r.tx_id === tax.txId)).toHaveLength(1);
  await quit(second);
});
