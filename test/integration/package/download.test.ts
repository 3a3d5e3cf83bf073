// The one-time download against the sandbox over real HTTP (G1, G9, G14): into the vault, resumed after a drop, 201 afterwards, expiry, partial and total failure.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { downloadPackage, type DownloadProgress } from '../../../electron/core/package/download.ts';
import type { PlatformFetcher } from '../../../electron/core/package/download-transport.ts';
import { PERSONAS } from '../identity/fixture.ts';
import { consent, depsFor, jobFor, login, openStores, openWorld, TWO_DATASET_SERVICE, type Stores, type World } from './helpers.ts';
import { codeOf } from '../../support/outcomes.ts';

let world: World;
let stores: Stores;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(async () => {
  await world.close();
});
beforeEach(async () => {
  stores = await openStores();
});
afterEach(async () => {
  await stores.close();
});

/** Every file under `dir`, recursively, as bytes. */
async function allFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.push({ path, bytes: await readFile(path) });
    }
  }
  return out;
}

async function start(serviceId = 'sd-household') {
  const identity = await login(world, serviceId);
  const client = identity.platformClient();
  const txId = await consent(world, client, serviceId);
  return { identity, client, txId, job: jobFor(world, identity, serviceId, txId) };
}

describe('a self-download end to end into the vault (G1, G9, G14)', () => {
  it('streams, verifies and encrypts the package, then writes one history record per dataset', async () => {
    const { identity, txId, job } = await start();
    const progress: DownloadProgress[] = [];
    const outcome = await downloadPackage(job, depsFor(world, identity, stores), { onProgress: (p) => progress.push(p) });

    expect(outcome.platformStatus).toBe(200);
    expect(outcome.alreadyStored).toBe(false);
    expect(outcome.resumes).toBe(0);
    expect(outcome.verdict?.ok).toBe(true);
    const stored = outcome.package;
    expect(stored.meta).toMatchObject({ source: 'download', txId, service: { id: 'sd-household' } });
    expect(stored.meta.providers).toEqual([expect.objectContaining({ resourceId: 'API.UDauDOLyZg', verdict: 'verified' })]);
    expect(stored.files.map((f) => f.name).sort()).toEqual(['API.UDauDOLyZg/API.UDauDOLyZg.json', 'API.UDauDOLyZg/API.UDauDOLyZg.pdf']);

    // The data file has the real dataset's shape (現戶全戶戶籍資料: personHouseholdData21, ROC dates), as the official service writes it.
    const json = JSON.parse(Buffer.from(await stores.vault.readFileBytes(stored.id, 'API.UDauDOLyZg/API.UDauDOLyZg.json')).toString('utf8')) as { personHouseholdData21: Record<string, string>[] };
    expect(json.personHouseholdData21[0]).toMatchObject({ person_name: '王小明', birth_yyymmdd: '0770314', relationship: '戶長' });
    const pdf = await stores.vault.readFileBytes(stored.id, 'API.UDauDOLyZg/API.UDauDOLyZg.pdf');
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

    // Progress: a total from Content-Length, bytes that only grow, ending at the total, then verification.
    const downloading = progress.filter((p) => p.state === 'downloading');
    expect(downloading.length).toBeGreaterThan(0);
    expect(downloading.at(-1)?.total).toBe(outcome.bytes);
    for (let i = 1; i < downloading.length; i++) expect(downloading[i]!.bytes).toBeGreaterThanOrEqual(downloading[i - 1]!.bytes);
    expect(progress.at(-1)?.state).toBe('verifying');

    const records = stores.history.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: 'self-download', result: 'success', code: '200', tx_id: txId, receipt_id: 'receipt-1',
      dataset: { id: 'API.UDauDOLyZg' }, provider: { id: 'moi-dhr' }, recipient: { kind: 'self' },
      subject: { masked_id: 'H12604****', type: 'natural' }, method: 'moica', assurance_level: 0,
    });

    // No plain text anywhere on disk: not the person's name, not the JSON, not the PDF header; the spool is gone.
    const name = Buffer.from(PERSONAS.wang.name, 'utf8');
    for (const file of await allFiles(stores.dir)) {
      expect(file.bytes.includes(name), file.path).toBe(false);
      expect(file.bytes.includes(Buffer.from(txId)), file.path).toBe(false);
      expect(file.bytes.includes(Buffer.from('%PDF-')), file.path).toBe(false);
    }
    expect(await readdir(join(stores.dir, 'spool'))).toEqual([]);
  });

  it('after a complete delivery the platform answers 201 and the app never asks again (G1)', async () => {
    const { identity, client, job, txId } = await start();
    const first = await downloadPackage(job, depsFor(world, identity, stores));
    const status = await client.fetch(`transactions/${txId}`);
    expect(status.status).toBe(201);
    const again = await client.fetch(`transactions/${txId}/package`);
    expect(again.status).toBe(201);
    await again.body?.cancel();

    let calls = 0;
    const counting: PlatformFetcher = { fetch: (path, request) => { calls += 1; return client.fetch(path, request); } };
    const second = await downloadPackage(job, depsFor(world, identity, stores, { platform: counting }));
    expect(second.alreadyStored).toBe(true);
    expect(second.package.id).toBe(first.package.id);
    expect(calls).toBe(0);
    expect(stores.history.records()).toHaveLength(1);

    // Without the local copy, the spent ticket is named, not retried.
    await stores.vault.delete(first.package.id);
    expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores)))).toBe('DOWNLOAD_ALREADY_DELIVERED');
    expect(await stores.vault.list()).toEqual([]);
  });
});

describe('a dropped connection (G1: the ticket is spent only by a complete delivery)', () => {
  it('resumes with Range from where it stopped and keeps one verified package', async () => {
    const { identity, txId, job } = await start();
    world.sandbox.controls.dropNextDownloadAfter(1000);
    const seen: { path: string; range: string | undefined }[] = [];
    const client = identity.platformClient();
    const spy: PlatformFetcher = {
      fetch: (path, request) => {
        seen.push({ path, range: request?.headers?.range });
        return client.fetch(path, request);
      },
    };
    let firstDropAt = -1;
    let tick = 0;
    // A clock that moves 1 s per reading, so no progress report is throttled away.
    const outcome = await downloadPackage(job, depsFor(world, identity, stores, { platform: spy, monotonic: () => (tick += 1000) }), {
      onProgress: (p) => {
        if (p.resumes === 1 && firstDropAt < 0) firstDropAt = p.bytes;
      },
    });
    expect(outcome.resumes).toBe(1);
    expect(outcome.verdict?.ok).toBe(true);
    const packageCalls = seen.filter((s) => s.path.endsWith('/package'));
    expect(packageCalls).toHaveLength(2);
    expect(packageCalls[0]?.range).toBeUndefined();
    // fetch drops bytes still queued when the reset arrives before they are read; then the resume starts at 0.
    expect(packageCalls[1]?.range === 'bytes=1000-' || (packageCalls[1]?.range === undefined && firstDropAt === 0)).toBe(true);
    expect((await stores.vault.list()).map((p) => p.meta.txId)).toEqual([txId]);
    expect(world.sandbox.providerLogs({ tx_id: txId })).toEqual([expect.objectContaining({ result: 'success', code: 200 })]);
  });

  it('gives up with a named error after too many drops; what arrived is kept, and the next attempt continues it', async () => {
    const { identity, job } = await start();
    const client = identity.platformClient();
    let attempts = 0;
    // The platform cuts every package response after 500 bytes, as a flaky network would.
    const flaky: PlatformFetcher = {
      fetch: (path, request) => {
        if (path.endsWith('/package')) {
          attempts += 1;
          world.sandbox.controls.dropNextDownloadAfter(500);
        }
        return client.fetch(path, request);
      },
    };
    expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores, { platform: flaky, limits: { maxResumes: 2 } })))).toBe('DOWNLOAD_INTERRUPTED');
    expect(attempts).toBe(3);
    expect(await stores.vault.list()).toEqual([]);
    expect(stores.history.records()).toEqual([]);
    // The ticket is unspent: the encrypted spool stays, and the next attempt asks only for the rest.
    expect(await readdir(join(stores.dir, 'spool'))).toHaveLength(1);
    const ranges: (string | undefined)[] = [];
    const spy: PlatformFetcher = {
      fetch: (path, request) => {
        if (path.endsWith('/package')) ranges.push(request?.headers?.range);
        return client.fetch(path, request);
      },
    };
    const outcome = await downloadPackage(job, depsFor(world, identity, stores, { platform: spy }));
    expect(outcome.verdict?.ok).toBe(true);
    expect(ranges).toHaveLength(1);
    expect(ranges[0]).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await readdir(join(stores.dir, 'spool'))).toEqual([]);
  });

  it('a cancel while the platform prepares, or midway through the package, leaves nothing and does not spend the ticket', async () => {
    const { identity, job } = await start();
    const early = new AbortController();
    const code = await codeOf(downloadPackage(job, depsFor(world, identity, stores), { signal: early.signal, onProgress: () => early.abort() }));
    expect(code).toBe('DOWNLOAD_CANCELLED');

    // Midway: the connection drops after 700 bytes and the person cancels while the app waits to resume.
    world.sandbox.controls.dropNextDownloadAfter(700);
    const midway = new AbortController();
    const deps = depsFor(world, identity, stores, {
      sleep: (_ms, signal) => {
        midway.abort();
        return signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
      },
    });
    expect(await codeOf(downloadPackage(job, deps, { signal: midway.signal }))).toBe('DOWNLOAD_CANCELLED');
    expect(await stores.vault.list()).toEqual([]);
    expect(stores.history.records()).toEqual([]);
    expect(await readdir(join(stores.dir, 'spool'))).toEqual([]);
    expect((await downloadPackage(job, depsFor(world, identity, stores))).verdict?.ok).toBe(true);
  });
});

describe('expiry, refusal and failures are named and recorded', () => {
  it('a package 8 hours after it was ready is gone (410): DOWNLOAD_EXPIRED and a failure record', async () => {
    const { identity, job, txId } = await start();
    world.advance(8 * 3600_000 + 1000);
    try {
      expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores)))).toBe('DOWNLOAD_EXPIRED');
    } finally {
      world.advance(-(8 * 3600_000 + 1000));
    }
    expect(await stores.vault.list()).toEqual([]);
    expect(stores.history.records()).toEqual([expect.objectContaining({ result: 'failure', code: '410', tx_id: txId })]);
  });

  it('expiry between a drop and its resume: the resume is answered 410 and nothing is kept', async () => {
    const { identity, job } = await start();
    world.sandbox.controls.dropNextDownloadAfter(700);
    let shifted = 0;
    const deps = depsFor(world, identity, stores, {
      sleep: () => {
        world.advance(8 * 3600_000 + 1000);
        shifted += 8 * 3600_000 + 1000;
        return Promise.resolve();
      },
    });
    try {
      expect(await codeOf(downloadPackage(job, deps))).toBe('DOWNLOAD_EXPIRED');
    } finally {
      world.advance(-shifted);
    }
    expect(await stores.vault.list()).toEqual([]);
    expect(await readdir(join(stores.dir, 'spool'))).toEqual([]);
  });

  it('one provider fails (403): the package is kept with per-dataset verdicts and the history says which failed', async () => {
    const { identity, job, txId } = await start(TWO_DATASET_SERVICE);
    world.sandbox.controls.setProviderFailure('mof-fia', 'error');
    try {
      const outcome = await downloadPackage(job, depsFor(world, identity, stores));
      expect(outcome.platformStatus).toBe(403);
      const providers = outcome.package.meta.providers;
      expect(providers.find((p) => p.resourceId === 'API.UDauDOLyZg')?.verdict).toBe('verified');
      const failed = providers.find((p) => p.resourceId === 'API.syWqjr4flJ');
      expect(failed).toMatchObject({ verdict: 'failed', detail: expect.objectContaining({ status: 'not-delivered', code: '500' }) });
      expect(outcome.package.files.every((f) => f.name.startsWith('API.UDauDOLyZg/'))).toBe(true);
      const records = stores.history.records();
      expect(records.map((r) => [r.dataset.id, r.result, r.code, r.tx_id]).sort()).toEqual([
        ['API.UDauDOLyZg', 'success', '200', txId],
        ['API.syWqjr4flJ', 'failure', '500', txId],
      ]);
    } finally {
      world.sandbox.controls.setProviderFailure('mof-fia', null);
    }
  });

  it('every provider fails (504): DOWNLOAD_PROVIDERS_FAILED, nothing stored, failure records with the dataset code', async () => {
    const { identity, job } = await start();
    world.sandbox.controls.setProviderFailure('moi-dhr', 'timeout');
    try {
      expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores)))).toBe('DOWNLOAD_PROVIDERS_FAILED');
    } finally {
      world.sandbox.controls.setProviderFailure('moi-dhr', null);
    }
    expect(await stores.vault.list()).toEqual([]);
    expect(stores.history.records()).toEqual([expect.objectContaining({ result: 'failure', code: '504', dataset: expect.objectContaining({ id: 'API.UDauDOLyZg' }) })]);
  });

  it('a Repr-Digest that does not match the bytes: DOWNLOAD_DIGEST_MISMATCH, nothing kept, the lost delivery recorded', async () => {
    const { identity, job } = await start();
    const client = identity.platformClient();
    const lying: PlatformFetcher = {
      fetch: async (path, request) => {
        const res = await client.fetch(path, request);
        if (!path.endsWith('/package')) return res;
        const headers = new Headers(res.headers);
        headers.set('repr-digest', `sha-256=:${Buffer.alloc(32, 1).toString('base64')}:`);
        return new Response(res.body, { status: res.status, headers });
      },
    };
    expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores, { platform: lying })))).toBe('DOWNLOAD_DIGEST_MISMATCH');
    expect(await stores.vault.list()).toEqual([]);
    expect(stores.history.records()).toEqual([expect.objectContaining({ result: 'failure', code: 'DOWNLOAD_DIGEST_MISMATCH' })]);
  });

  it('a certificate that chains to no known anchor is kept as "issuer not recognised", not failed', async () => {
    const { identity, job } = await start();
    const dir = await mkdtemp(join(tmpdir(), 'other-ca-'));
    try {
      // A CA this package has nothing to do with, made with openssl.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Some Other Root CA/O=Elsewhere', '-days', '30', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'ca.pem')], { stdio: 'ignore' });
      const otherCa = await readFile(join(dir, 'ca.pem'), 'utf8');
      const outcome = await downloadPackage(job, depsFor(world, identity, stores, { trustAnchors: [otherCa] }));
      expect(outcome.verdict?.ok).toBe(false);
      expect(outcome.verdict?.storable).toBe(true);
      expect(outcome.package.meta.providers).toEqual([expect.objectContaining({ verdict: 'issuer_unrecognised' })]);
      expect(stores.history.records()).toEqual([expect.objectContaining({ result: 'success' })]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a spool write that fails with ENOSPC while the package streams in is DOWNLOAD_DISK_FULL, with no spool left', async () => {
    const { identity, job } = await start();
    const probe = await open(join(stores.dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const original = proto.write;
    // The first file write of the download is the spool's (the vault writes only after verification).
    vi.spyOn(proto, 'write').mockImplementationOnce(() => Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })));
    try {
      expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores)))).toBe('DOWNLOAD_DISK_FULL');
    } finally {
      vi.restoreAllMocks();
    }
    expect(proto.write).toBe(original);
    expect(await readdir(join(stores.dir, 'spool'))).toEqual([]);
    expect(await stores.vault.list()).toEqual([]);
  });

  it('not enough disk space is refused before anything is fetched', async () => {
    const { identity, job, client, txId } = await start();
    expect(await codeOf(downloadPackage(job, depsFor(world, identity, stores, { freeSpace: () => Promise.resolve(1000) })))).toBe('DOWNLOAD_DISK_FULL');
    const status = await client.fetch(`transactions/${txId}`);
    expect(status.status).toBe(200);
  });
});
