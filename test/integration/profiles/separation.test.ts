// Profiles kept apart, through the composed app as main runs it (profile host → composition → dispatcher): the demo's
// download, receipts and history never show in the official profile, the official's never in the demo, and the
// official profile composes without any platform client.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConsentContext, ConsentOutcome } from '../../../electron/contract/consent.ts';
import type { HistoryEntryInput } from '../../../electron/contract/history.ts';
import type { DownloadTask, PackageView } from '../../../electron/contract/package.ts';
import type { AppInfo, Settings } from '../../../electron/contract/index.ts';
import { createEventEmitter } from '../../../electron/main/ipc.ts';
import { startProfileHost, type ProfileHost } from '../../../electron/main/profile-host.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { call, verify } from '../composed.ts';
import { openSandbox, PERSONAS, scriptedBrowser, type SandboxHandle } from '../identity/fixture.ts';

let h: SandboxHandle;
let userData: string;
let host: ProfileHost;
const demoStarts: string[] = [];
let demoStops = 0;
let switches = 0;

beforeAll(async () => {
  h = await openSandbox();
  userData = await mkdtemp(join(tmpdir(), 'profiles-'));
  host = await startProfileHost({
    settingsStore: memoryStore(),
    userDataDir: userData,
    // The test's sandbox stands in for the embedded one the app would start in the demo folder.
    startDemoPlatform: (stateDir) => {
      demoStarts.push(stateDir);
      return Promise.resolve({
        platform: h.sandbox.platform,
        stop: () => {
          demoStops++;
          return Promise.resolve();
        },
      });
    },
    onSwitched: () => {
      switches++;
    },
    keyProtector: insecureTestProtector(),
    shell: { open: (url) => scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin }).openBrowser(url) },
    clock: { now: () => new Date() },
    emit: createEventEmitter({ send: () => undefined }),
    runtime: 'bridge',
    version: '0.0.0-test',
    isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
  });
});

afterAll(async () => {
  await host.dispose();
  await h.close();
  await rm(userData, { recursive: true, force: true });
});

const OFFICIAL_RECORD: HistoryEntryInput = {
  time: '2025-03-01T10:00:00+08:00',
  kind: 'self-download',
  dataset: { id: 'API.official-x', name: { zh: '官方匯入資料', en: 'Official import' } },
  provider: { id: 'official-provider', name: { zh: '官方機關', en: 'Official agency' } },
  service: null,
  recipient: { kind: 'self' },
  subject: { masked_id: 'A12345****', type: 'natural' },
  method: 'website-import',
  assurance_level: 0,
  result: 'success',
  code: '200',
  tx_id: 'tx-official-1',
  receipt_id: null,
  terms_sha256: null,
};

async function downloaded(taskId: string): Promise<DownloadTask> {
  for (let i = 0; i < 300; i++) {
    const task = (await call<DownloadTask[]>(host.current, 'package:tasks', {})).find((t) => t.taskId === taskId);
    if (task && !['waiting', 'downloading', 'verifying'].includes(task.state)) return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the download did not finish');
}

const txIds = async (): Promise<string[]> => (await call<{ records: { tx_id: string }[] }>(host.current, 'history:query', {})).records.map((r) => r.tx_id);

it('starts on the demo in its own folder, with the sandbox state in that folder', async () => {
  expect(host.settings.get()).toMatchObject({ profile: 'demo', profileChosen: false });
  expect(host.profileDir).toBe(join(userData, 'profiles', 'demo'));
  expect(demoStarts).toEqual([join(userData, 'profiles', 'demo', 'sandbox')]);
  expect(host.current.dispatcher.unregistered()).toEqual([]);
  const info = await call<AppInfo>(host.current, 'app:info', {});
  expect(info).toMatchObject({ profile: 'demo', platformUrl: new URL(h.sandbox.platform).origin, needsProfileChoice: false });
});

it('keeps the demo download, receipt and history out of the official profile, and the official record out of the demo', async () => {
  // Demo: a consented self-download, downloaded and kept.
  const demo = host.current;
  const ctx = await call<ConsentContext>(demo, 'consent:context', { serviceId: 'sd-household' });
  await verify(h, demo, ctx.service);
  const outcome = await call<ConsentOutcome>(demo, 'consent:submit', { serviceId: 'sd-household', termsShownSha256: ctx.service.terms.sha256, declined: [], decision: 'consent' });
  const { taskId } = await call<{ taskId: string }>(demo, 'package:download', { txId: outcome.txId, serviceId: 'sd-household', receiptId: outcome.receiptId });
  expect((await downloaded(taskId)).state).toBe('done');
  const demoPackages = await call<PackageView[]>(demo, 'package:list', {});
  expect(demoPackages).toHaveLength(1);
  const demoTx = await txIds();
  expect(demoTx).toContain(outcome.txId);

  // Switch to official through the same channel the screens use.
  const chosen = await call<Settings>(demo, 'profile:choose', { profile: 'official' });
  expect(chosen).toMatchObject({ profile: 'official', profileChosen: true, platformUrl: null });
  expect(switches).toBe(1);
  expect(demoStops).toBe(1);
  expect(host.current).not.toBe(demo);
  expect(host.profileDir).toBe(join(userData, 'profiles', 'official'));

  const official = host.current;
  expect(await call<PackageView[]>(official, 'package:list', {})).toEqual([]);
  expect(await txIds()).toEqual([]);
  await expect(official.dispatcher.dispatch({ frameUrl: 'app://app/index.html', isTopFrame: true }, 'receipts:list', {})).resolves.toMatchObject({ ok: false, error: { code: 'PROFILE_NO_PLATFORM' } });
  const { history, vault } = await official.stores.get();
  await history.append(OFFICIAL_RECORD);
  expect(await txIds()).toEqual(['tx-official-1']);
  // An imported website download, kept in the official vault.
  await vault.store({
    meta: { service: { id: 'official-import', name: '官網下載' }, source: 'import', txId: 'tx-official-1', providers: [{ resourceId: 'API.OFFICIAL01', name: '財政部', verdict: 'issuer_unrecognised' }] },
    files: [{ name: 'income.json', stream: (async function* () { yield new TextEncoder().encode('{"real":true}'); })() }],
  });
  const officialPackages = await call<PackageView[]>(official, 'package:list', {});
  expect(officialPackages).toHaveLength(1);
  // Nothing of the demo's is in the official folder, and its vault key is a different one.
  // (Files only: opening the stores makes the profile's private folders, receipts/ among them, empty until used.)
  const officialDir = join(userData, 'profiles', 'official');
  const officialFiles = readdirSync(officialDir, { recursive: true }).map(String).filter((f) => statSync(join(officialDir, f)).isFile());
  expect(officialFiles.some((f) => f.startsWith('sandbox') || f.startsWith('receipts') || f.includes('platform-directory'))).toBe(false);

  // And back: the demo has its own data again, never the official record.
  await call<Settings>(official, 'profile:choose', { profile: 'demo' });
  expect(switches).toBe(2);
  expect(demoStarts).toHaveLength(2);
  expect(host.profileDir).toBe(join(userData, 'profiles', 'demo'));
  expect(await txIds()).toEqual(demoTx);
  expect(await txIds()).not.toContain('tx-official-1');
  expect((await call<PackageView[]>(host.current, 'package:list', {})).map((p) => p.id)).toEqual(demoPackages.map((p) => p.id));
  expect((await call<PackageView[]>(host.current, 'package:list', {})).map((p) => p.id)).not.toContain(officialPackages[0]?.id);
});

it('composes the official profile without a platform client: platform channels say so, local ones work, no directory is fetched', async () => {
  await call<Settings>(host.current, 'profile:choose', { profile: 'official' });
  const official = host.current;
  const sender = { frameUrl: 'app://app/index.html', isTopFrame: true };
  for (const channel of ['platform:directory', 'identity:providers', 'consent:context']) {
    const payload = channel === 'platform:directory' ? { refresh: false } : channel === 'identity:providers' ? { subjectType: 'natural', requiredLevel: 2 } : { serviceId: 'sd-household' };
    const answer = (await official.dispatcher.dispatch(sender, channel, payload)) as { ok: boolean; error?: { code: string; message_zh: string; message_en: string } };
    expect(answer.ok, channel).toBe(false);
    expect(answer.error?.code, channel).toBe('PROFILE_NO_PLATFORM');
    expect(answer.error?.message_en).toMatch(/official MyData website/);
  }
  expect(await official.dispatcher.dispatch(sender, 'identity:session', {})).toEqual({ ok: true, value: null });
  expect(await official.dispatcher.dispatch(sender, 'history:state', {})).toMatchObject({ ok: true });
  const info = await call<AppInfo>(official, 'app:info', {});
  expect(info).toMatchObject({ profile: 'official', platformUrl: null });
  expect(official.identity).toBeNull();
  // Every contract channel answers in both compositions (a new feature must be registered in each).
  expect(official.dispatcher.unregistered()).toEqual([]);
  // No demo platform runs for the official profile.
  expect(demoStarts).toHaveLength(2);
  expect(demoStops).toBe(2);
  expect(existsSync(join(userData, 'profiles', 'official', 'platform-directory.json'))).toBe(false);
});

it('refuses a platform whose address fails the check, and stays where it was', async () => {
  const answer = (await host.current.dispatcher.dispatch({ frameUrl: 'app://app/index.html', isTopFrame: true }, 'profile:choose', { profile: 'platform', platformUrl: 'http://mydata.example.tw' })) as { ok: boolean; error?: { code: string } };
  expect(answer).toMatchObject({ ok: false, error: { code: 'PLATFORM_URL_NOT_HTTPS' } });
  expect(host.settings.get().profile).toBe('official');
});

it('switches to another platform by its checked origin, in a folder of its own', async () => {
  await call<Settings>(host.current, 'profile:choose', { profile: 'platform', platformUrl: `${h.sandbox.platform}/anything` });
  expect(host.settings.get()).toMatchObject({ profile: 'platform', platformUrl: new URL(h.sandbox.platform).origin });
  expect(host.profileDir).toMatch(/profiles[/\\]platform-[0-9a-f]{16}$/);
  // A platform profile is a fresh folder: nothing from the demo (same sandbox, different profile) shows.
  expect(await txIds()).toEqual([]);
  expect(await call<PackageView[]>(host.current, 'package:list', {})).toEqual([]);
});

it('moves the single-folder layout of before into the demo profile on the first start after the update', async () => {
  const legacy = await mkdtemp(join(tmpdir(), 'profiles-legacy-'));
  try {
    mkdirSync(join(legacy, 'history'));
    writeFileSync(join(legacy, 'history', 'history.log'), 'old records');
    mkdirSync(join(legacy, 'sandbox'));
    const store = memoryStore();
    store.set('schemaVersion', 1);
    store.set('profile', 'sandbox');
    store.set('language', 'en');
    const started: string[] = [];
    const old = await startProfileHost({
      settingsStore: store,
      userDataDir: legacy,
      startDemoPlatform: (stateDir) => {
        started.push(stateDir);
        return Promise.resolve({ platform: h.sandbox.platform, stop: () => Promise.resolve() });
      },
      keyProtector: insecureTestProtector(),
      shell: { open: () => Promise.resolve() },
      clock: { now: () => new Date() },
      emit: createEventEmitter({ send: () => undefined }),
      runtime: 'bridge',
      version: '0.0.0-test',
      isTrustedOrigin: () => false,
    });
    expect(old.settings.get()).toMatchObject({ profile: 'demo', language: 'en', profileChosen: false });
    expect(old.profileDir).toBe(join(legacy, 'profiles', 'demo'));
    expect(readFileSync(join(legacy, 'profiles', 'demo', 'history', 'history.log'), 'utf8')).toBe('old records');
    expect(existsSync(join(legacy, 'history'))).toBe(false);
    // The demo's sandbox keeps its CA and keys: it starts on the moved state.
    expect(started).toEqual([join(legacy, 'profiles', 'demo', 'sandbox')]);
    await old.dispose();
  } finally {
    await rm(legacy, { recursive: true, force: true });
  }
});
