// A download interrupted by a quit or a crash continues in the next run with Range from the encrypted spool (G1: the
// ticket is spent only by the last byte), against the sandbox: the next run asks only for the rest, the bytes the
// sandbox serves twice stay within 1 MiB (here none: what arrived was checkpointed), the package is verified and kept
// once, and the platform's one-time rule still holds afterwards.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { DOWNLOAD_SUSPEND, downloadPackage, type DownloadJob } from '../../../electron/core/package/download.ts';
import type { PlatformFetcher } from '../../../electron/core/package/download-transport.ts';
import type { PlatformClient } from '../../../electron/core/identity/index.ts';
import { openVault } from '../../../electron/core/vault/index.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';
import { codeOf } from '../../support/outcomes.ts';
import { consent, depsFor, jobFor, login, openWorld, systemClock, type Stores, type World } from './helpers.ts';

const MIB = 1024 * 1024;
/** The spool's two checkpoint slots before its data. */
const SPOOL_HEADER = 1024;

let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(async () => {
  await world.close();
});

/** One run of the app on a profile folder: the vault and the history opened from disk, as a new process would. */
async function run(dir: string): Promise<Stores> {
  const vault = await openVault({ dir: join(dir, 'vault'), protector: insecureTestProtector(), clock: systemClock });
  const history = await HistoryLog.open({ dir: join(dir, 'history'), key: vault.deriveKey('history'), clock: systemClock, retentionYears: 2 });
  return {
    dir,
    vault,
    history,
    close: async () => {
      await history.close();
      vault.close();
    },
  };
}

/** A clock that moves 1 s per reading, so no progress report is throttled away. */
function clockTicks(): () => number {
  let tick = 0;
  return () => (tick += 1000);
}

async function packageSize(client: PlatformClient, txId: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const response = await client.fetch(`transactions/${txId}`);
    const body = (await response.json().catch(() => null)) as { package?: { size?: number } } | null;
    if (response.status === 200 && typeof body?.package?.size === 'number') return body.package.size;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the package was not ready');
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function spoolFiles(dir: string): Promise<string[]> {
  return readdir(join(dir, 'spool')).catch(() => []);
}

async function prepare(): Promise<{ dir: string; client: PlatformClient; txId: string; job: DownloadJob; size: number; half: number; identity: Awaited<ReturnType<typeof login>> }> {
  const dir = await mkdtemp(join(tmpdir(), 'resume-it-'));
  const identity = await login(world, 'sd-household');
  const client = identity.platformClient();
  const txId = await consent(world, client, 'sd-household');
  const size = await packageSize(client, txId);
  expect(size).toBeGreaterThan(2000);
  return { dir, client, txId, job: jobFor(world, identity, 'sd-household', txId), size, half: Math.floor(size / 2), identity };
}

/** Runs the download to its end in a new run, recording the Range of each package request and what the sandbox served. */
async function resumeInNewRun(p: Awaited<ReturnType<typeof prepare>>) {
  const stores = await run(p.dir);
  const ranges: (string | undefined)[] = [];
  const spy: PlatformFetcher = {
    fetch: (path, request) => {
      if (path.endsWith('/package')) ranges.push(request?.headers?.range);
      return p.client.fetch(path, request);
    },
  };
  const servedBefore = world.sandbox.controls.packageBytesServed();
  const outcome = await downloadPackage(p.job, depsFor(world, p.identity, stores, { platform: spy }));
  return { stores, outcome, ranges, served: world.sandbox.controls.packageBytesServed() - servedBefore };
}

/** The package is kept once, recorded once, and the platform will not deliver it again (G1). */
async function expectDeliveredOnce(p: Awaited<ReturnType<typeof prepare>>, stores: Stores): Promise<void> {
  expect((await stores.vault.list()).map((pkg) => pkg.meta.txId)).toEqual([p.txId]);
  expect(stores.history.records().map((r) => [r.tx_id, r.result])).toEqual([[p.txId, 'success']]);
  expect(world.sandbox.providerLogs({ tx_id: p.txId })).toEqual([expect.objectContaining({ result: 'success', code: 200 })]);
  const again = await p.client.fetch(`transactions/${p.txId}/package`);
  await again.body?.cancel();
  expect(again.status).toBe(201);
  let calls = 0;
  const counting: PlatformFetcher = { fetch: (path, request) => { calls += 1; return p.client.fetch(path, request); } };
  expect((await downloadPackage(p.job, depsFor(world, p.identity, stores, { platform: counting }))).alreadyStored).toBe(true);
  expect(calls).toBe(0);
  expect(await spoolFiles(p.dir)).toEqual([]);
}

describe('a download interrupted in one run continues in the next (G1)', () => {
  it('the app quits midway: the spool is kept encrypted, the next run asks for the rest only and keeps one verified package', async () => {
    const p = await prepare();
    const first = await run(p.dir);
    const servedBefore = world.sandbox.controls.packageBytesServed();
    world.sandbox.controls.stallNextDownloadAfter(p.half);
    const quit = new AbortController();
    const code = codeOf(
      downloadPackage(p.job, depsFor(world, p.identity, first, { monotonic: clockTicks() }), {
        signal: quit.signal,
        onProgress: (progress) => {
          if (progress.bytes >= p.half) quit.abort(DOWNLOAD_SUSPEND);
        },
      }),
    );
    expect(await code).toBe('DOWNLOAD_CANCELLED');
    expect(world.sandbox.controls.packageBytesServed() - servedBefore).toBe(p.half);
    // Nothing kept or recorded, the ticket unspent, and the spool holds exactly what arrived, encrypted.
    expect(await first.vault.list()).toEqual([]);
    expect(first.history.records()).toEqual([]);
    const [spool] = await spoolFiles(p.dir);
    expect(spool).toMatch(/^[0-9a-f]{32}\.spool$/);
    const onDisk = await readFile(join(p.dir, 'spool', spool ?? ''));
    expect(onDisk.length).toBe(SPOOL_HEADER + p.half);
    expect(onDisk.includes(Buffer.from('META-INFO/manifest.xml'))).toBe(false);
    expect(onDisk.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
    await first.close();

    const next = await resumeInNewRun(p);
    expect(next.ranges).toEqual([`bytes=${p.half}-`]);
    // Fetched twice after the restart: nothing (budget: at most 1 MiB).
    expect(next.served).toBe(p.size - p.half);
    expect(p.half + next.served - p.size).toBeLessThanOrEqual(MIB);
    expect(next.outcome.verdict?.ok).toBe(true);
    expect(next.outcome.bytes).toBe(p.size);
    await expectDeliveredOnce(p, next.stores);
    await next.stores.close();
    await rm(p.dir, { recursive: true, force: true });
  });

  it('the app crashes midway (nothing cleaned up): the next run takes up the checkpointed bytes and continues', async () => {
    const p = await prepare();
    const first = await run(p.dir);
    world.sandbox.controls.stallNextDownloadAfter(p.half);
    const crashed = new AbortController();
    // The body stalls after half; after a second without bytes the download checkpoints what arrived.
    const abandoned = codeOf(downloadPackage(p.job, depsFor(world, p.identity, first), { signal: crashed.signal }));
    await until(async () => {
      const [name] = await spoolFiles(p.dir);
      return name !== undefined && (await stat(join(p.dir, 'spool', name))).size === SPOOL_HEADER + p.half;
    }, 'the idle checkpoint');

    // The next run starts while the crashed one never ran its clean-up (its promise is abandoned, its file still open).
    const next = await resumeInNewRun(p);
    expect(next.ranges).toEqual([`bytes=${p.half}-`]);
    expect(next.served).toBe(p.size - p.half);
    expect(next.outcome.verdict?.ok).toBe(true);
    await expectDeliveredOnce(p, next.stores);

    // Tear down the abandoned run (its stalled connection).
    crashed.abort();
    expect(await abandoned).toBe('DOWNLOAD_CANCELLED');
    await first.close();
    await next.stores.close();
    await rm(p.dir, { recursive: true, force: true });
  });

  it('a spool that was tampered with or torn is not taken up: the download starts over while the ticket is unspent', async () => {
    const p = await prepare();
    const first = await run(p.dir);
    world.sandbox.controls.stallNextDownloadAfter(p.half);
    const quit = new AbortController();
    await codeOf(downloadPackage(p.job, depsFor(world, p.identity, first, { monotonic: clockTicks() }), { signal: quit.signal, onProgress: (x) => { if (x.bytes >= p.half) quit.abort(DOWNLOAD_SUSPEND); } }));
    await first.close();
    // Flip one data byte: the checkpoint's prefix digest no longer matches.
    const [name] = await spoolFiles(p.dir);
    const path = join(p.dir, 'spool', name ?? '');
    const bytes = await readFile(path);
    bytes[SPOOL_HEADER + 10] = (bytes[SPOOL_HEADER + 10] ?? 0) ^ 0xff;
    await writeFile(path, bytes);

    const next = await resumeInNewRun(p);
    expect(next.ranges).toEqual([undefined]);
    expect(next.served).toBe(p.size);
    expect(next.outcome.verdict?.ok).toBe(true);
    await expectDeliveredOnce(p, next.stores);
    await next.stores.close();
    await rm(p.dir, { recursive: true, force: true });
  });
});
