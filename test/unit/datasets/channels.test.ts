// dataset:view, dataset:export-csv and history:check-export through the real composition and dispatcher.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../../electron/contract/index.ts';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter, type SenderInfo } from '../../../electron/main/ipc.ts';
import { exportCsv } from '../../../electron/core/history/index.ts';
import { insecureTestProtector, streamOf } from '../vault/helpers.ts';
import { memoryStore } from '../../support/memory-store.ts';

const SENDER: SenderInfo = { frameUrl: 'app://app/index.html#/my-data', isTopFrame: true };
let profileDir: string;
let app: ComposedApp;
let saveAnswer: string | null;

beforeEach(async () => {
  profileDir = await mkdtemp(join(tmpdir(), 'mydata-datasets-'));
  saveAnswer = join(profileDir, 'picked', 'out.csv');
  app = composeApp({
    settingsStore: memoryStore(),
    keyProtector: insecureTestProtector(),
    shell: { open: () => Promise.reject(new Error('no browser in this test')) },
    clock: { now: () => new Date('2026-01-15T04:00:00Z') },
    emit: createEventEmitter({ send: () => undefined }),
    runtime: 'bridge',
    version: '0.0.0-unit',
    profileDir,
    platformUrl: 'http://127.0.0.1:9',
    isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
    chooseSavePath: () => Promise.resolve(saveAnswer),
  });
});
afterEach(async () => {
  app.dispose();
  await rm(profileDir, { recursive: true, force: true });
});

async function call<C extends 'dataset:view' | 'dataset:export-csv' | 'history:check-export'>(channel: C, payload: unknown): Promise<InvokeResult<C>> {
  return (await app.dispatcher.dispatch(SENDER, channel, payload)) as InvokeResult<C>;
}

async function store(files: Record<string, Uint8Array>): Promise<string> {
  const { vault } = await app.stores.get();
  const stored = await vault.store({
    meta: { service: { id: 'website', name: 'website' }, source: 'import', providers: [] },
    files: Object.entries(files).map(([name, bytes]) => ({ name, stream: streamOf(bytes, 70_000) })),
  });
  return stored.id;
}

const big5 = (s: string) => new Uint8Array(execFileSync('python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("big5"))', s]));

describe('dataset channels', () => {
  it('shows a Big5 income CSV from the vault as the income view, and exports it as UTF-8 CSV with BOM only where the dialog says', async () => {
    const id = await store({ 'API.syWqjr4flJ.csv': big5('所得年度,所得類別,扣繳單位名稱,給付總額,扣繳稅額\r\n114,薪資,宏遠精密工業股份有限公司,1086000,32580\r\n') });
    const shown = await call('dataset:view', { id, name: 'API.syWqjr4flJ.csv' });
    expect(shown.ok && shown.value.encoding).toBe('big5');
    expect(shown.ok && shown.value.view).toMatchObject({ kind: 'income', total: { amount: 1086000, withheld: 32580 } });

    const saved = await call('dataset:export-csv', { id, name: 'API.syWqjr4flJ.csv' });
    expect(saved).toEqual({ ok: true, value: { cancelled: false, folder: join(profileDir, 'picked'), files: [join(profileDir, 'picked', 'out.csv')] } });
    const bytes = readFileSync(join(profileDir, 'picked', 'out.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('宏遠精密工業股份有限公司');

    saveAnswer = null;
    expect(await call('dataset:export-csv', { id, name: 'API.syWqjr4flJ.csv' })).toEqual({ ok: true, value: { cancelled: true } });
  });

  it('answers named errors for a file that is not text, and refuses a payload with extra fields', async () => {
    const id = await store({ 'x.csv': new Uint8Array([0x81, 0x20, 0xff, 0xfe, 0x80]) });
    const bad = await call('dataset:view', { id, name: 'x.csv' });
    expect(!bad.ok && bad.error.code).toBe('DATASET_ENCODING_UNKNOWN');
    const extra = await call('dataset:view', { id, name: 'x.csv', path: '/etc/passwd' });
    expect(extra.ok).toBe(false);
  });

  it('checks an exported history in the app with the same verdicts as the CLI', async () => {
    const { history } = await app.stores.get();
    const text = exportCsv(history, new Date('2026-01-15T04:00:00Z'));
    const good = await call('history:check-export', { text });
    expect(good).toMatchObject({ ok: true, value: { ok: true, records: history.records().length } });
    const notExport = await call('history:check-export', { text: 'a,b\r\n1,2\r\n' });
    expect(notExport).toMatchObject({ ok: true, value: { ok: false, kind: 'format' } });
  });
});
