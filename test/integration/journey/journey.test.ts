// The "get my data from MyData" journey against the sandbox's website-style download: the app opens the page in the person's browser (here the test plays the browser), watches a temporary downloads folder, ignores the partial file, offers the finished download, imports it as unsigned and deletes the plain copy when asked.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter, type SenderInfo } from '../../../electron/main/ipc.ts';
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox/index.ts';
import type { ImportResult, JourneyState } from '../../../electron/contract/index.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';
import { memoryStore } from '../../support/memory-store.ts';

const SENDER: SenderInfo = { frameUrl: 'app://app/index.html#/', isTopFrame: true };
const WANG_ID = 'H126047583';
let sandbox: RunningSandbox;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'journey-sandbox-'));
  sandbox = await startSandbox({ stateDir, preparationMs: 0 });
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

async function call<T>(app: ComposedApp, channel: string, payload: unknown = {}): Promise<T> {
  const answer = (await app.dispatcher.dispatch(SENDER, channel, payload)) as { ok: boolean; value?: unknown; error?: { code: string } };
  if (!answer.ok) throw new Error(`${channel}: ${answer.error?.code ?? '?'}`);
  return answer.value as T;
}

function world(timing: { timeoutMs?: number } = {}) {
  const profileDir = mkdtempSync(join(tmpdir(), 'journey-profile-'));
  const downloadsDir = mkdtempSync(join(tmpdir(), 'journey-downloads-'));
  const opened: string[] = [];
  const states: JourneyState[] = [];
  const app = composeApp({
    settingsStore: memoryStore(),
    keyProtector: insecureTestProtector(),
    shell: { open: (url) => { opened.push(url); return Promise.resolve(); } },
    clock: { now: () => new Date() },
    emit: createEventEmitter({
      send: (event, data) => {
        if (event === 'journey:state') states.push(data as JourneyState);
      },
    }),
    runtime: 'bridge',
    version: '0.0.0-test',
    profileDir,
    platformUrl: sandbox.platform,
    isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
    downloadsDir,
    journeyTiming: { pollMs: 50, stableMs: 150, ...timing },
  });
  return {
    app,
    profileDir,
    downloadsDir,
    opened,
    states,
    async close() {
      await app.stores.close();
      app.dispose();
      rmSync(profileDir, { recursive: true, force: true });
      rmSync(downloadsDir, { recursive: true, force: true });
    },
  };
}

async function until<T>(what: () => T | null | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the journey against the sandbox website', () => {
  it('opens the page, waits out the partial file, offers the download, imports it unsigned and deletes the plain copy', async () => {
    const w = world();
    try {
      // Something already in the folder is not "the next download".
      writeFileSync(join(w.downloadsDir, 'old-report.pdf'), '%PDF-1.4 old');
      const started = await call<JourneyState>(w.app, 'journey:start');
      expect(started).toMatchObject({ state: 'watching', website: `${sandbox.platform}/website/`, folder: w.downloadsDir });
      expect(w.opened).toEqual([`${sandbox.platform}/website/`]);

      // The browser: the page has a link per person; the download arrives as a .crdownload first, then is renamed.
      const page = await (await fetch(w.opened[0] ?? '')).text();
      expect(page).toContain('示範環境，合成資料');
      const href = /href="(\/website\/download\?person=[^"]+)"/.exec(page)?.[1];
      const response = await fetch(new URL(href ?? '', sandbox.platform));
      const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '');
      expect(name).toMatch(/^個人資料\d{14}\.zip$/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const partial = join(w.downloadsDir, `${name}.crdownload`);
      writeFileSync(partial, bytes.subarray(0, 100));
      await new Promise((r) => setTimeout(r, 400));
      expect((await call<JourneyState>(w.app, 'journey:status')).state).toBe('watching');
      writeFileSync(partial, bytes);
      renameSync(partial, join(w.downloadsDir, name));

      const found = await until(() => w.states.find((s) => s.state === 'found'));
      expect(found.found).toMatchObject({ cancelled: false, fileName: name, encrypted: true, layout: 'website' });
      const token = found.found && !found.found.cancelled ? found.found.token : '';
      const wangId = sandbox.world.people.find((p) => p.national_id === WANG_ID);
      expect(wangId).toBeDefined();
      const wrong = (await w.app.dispatcher.dispatch(SENDER, 'package:import', { token, password: 'A123456789' })) as { ok: boolean; error?: { code: string } };
      expect(wrong.error?.code).toBe('PACKAGE_WRONG_ID');
      const result = await call<ImportResult>(w.app, 'package:import', { token, password: WANG_ID });
      expect(result).toMatchObject({ ok: false, verdict: 'unsigned' });
      expect(result.package.origin?.source).toBe('demo');
      expect(result.package.providers.every((p) => p.badge === 'unsigned')).toBe(true);

      // The history holds the import, with the SHA-256 of the file as it arrived in the downloads folder.
      const { records } = await call<{ records: { kind: string; import?: { file_sha256: string; source: string; verdict: string } }[] }>(w.app, 'history:query', {});
      const { createHash } = await import('node:crypto');
      expect(records.map((r) => [r.kind, r.import?.source, r.import?.verdict, r.import?.file_sha256])).toEqual([
        ['import', 'demo', 'unsigned', createHash('sha256').update(bytes).digest('hex')],
      ]);

      expect(await call(w.app, 'journey:delete-download', { token })).toEqual({ deleted: true });
      expect(existsSync(join(w.downloadsDir, name))).toBe(false);
      expect(existsSync(join(w.downloadsDir, 'old-report.pdf'))).toBe(true);
      // A token the watcher did not find deletes nothing.
      expect(await call(w.app, 'journey:delete-download', { token: 'made-up' })).toEqual({ deleted: false });

      await w.app.stores.close();
      for (const entry of readdirSync(w.profileDir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) expect(readFileSync(join(entry.parentPath, entry.name)).includes(Buffer.from(WANG_ID)), entry.name).toBe(false);
      }
    } finally {
      await w.close();
    }
  });

  it('stops by itself when the time is up, and when cancelled', async () => {
    const w = world({ timeoutMs: 300 });
    try {
      await call(w.app, 'journey:start');
      await until(() => w.states.find((s) => s.state === 'timed-out'));
      await call(w.app, 'journey:start');
      expect((await call<JourneyState>(w.app, 'journey:cancel')).state).toBe('cancelled');
    } finally {
      await w.close();
    }
  });

  it('a folder that does not exist is a named failure, not a silent wait', async () => {
    const w = world();
    try {
      rmSync(w.downloadsDir, { recursive: true, force: true });
      const state = await call<JourneyState>(w.app, 'journey:start');
      expect(state.state).toBe('failed');
      expect(state.error?.code).toBe('JOURNEY_WATCH_FAILED');
      expect(w.opened).toEqual([]);
    } finally {
      await w.close();
    }
  });
});
