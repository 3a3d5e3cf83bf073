// The composed app (compose.ts, stores.ts) against rollback (G12, G14): an older copy of the history log put back while
// the app was closed is reported on the History screen's channel until acknowledged, and receipts whose chain head the
// log no longer holds are flagged. No platform is reached: only the local stores are used.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryIntegrity, ReceiptCheck } from '../../../electron/contract/index.ts';
import { buildReceipt } from '../../../electron/core/consent/receipt.ts';
import { profileReceipts } from '../../../electron/core/consent/receipt-store.ts';
import { selectFields } from '../../../electron/core/consent/rules.ts';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter } from '../../../electron/main/ipc.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { SESSION, loanService } from '../../unit/consent/fixtures.ts';
import { entry } from '../../unit/history/fixtures.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';
import { call, quit } from '../composed.ts';

let profileDir: string;
const settingsStore = memoryStore();
const start = (): ComposedApp =>
  composeApp({
    settingsStore,
    keyProtector: insecureTestProtector(),
    shell: { open: () => Promise.resolve() },
    clock: { now: () => new Date() },
    emit: createEventEmitter({ send: () => undefined }),
    runtime: 'bridge',
    version: '0.0.0-test',
    profileDir,
    // Never contacted: this test uses only the local stores.
    platformUrl: 'http://127.0.0.1:9',
    isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
  });

beforeAll(async () => {
  profileDir = await mkdtemp(join(tmpdir(), 'history-integrity-'));
});
afterAll(async () => {
  await rm(profileDir, { recursive: true, force: true });
});

/** A receipt carrying the history's head and length now, stored as the consent flow stores it. */
async function receiptNow(app: ComposedApp): Promise<string> {
  const { vault, history } = await app.stores.get();
  const service = loanService();
  const receipt = buildReceipt({
    time: new Date(),
    decision: 'consent',
    platform: { origin: 'http://127.0.0.1:9', name: { zh: '測試平臺', en: 'Test platform' } },
    service,
    selection: selectFields(service, []),
    session: SESSION,
    txId: 'tx_ROLLBACK-1',
    request: null,
    history: { head: history.head(), count: history.length },
  });
  await profileReceipts(profileDir, vault).save(receipt);
  return receipt.receipt_id;
}

describe('history rollback through the app', () => {
  it('reports an older log put back, flags the receipts it no longer holds, and forgets the report once acknowledged', async () => {
    let app = start();
    let { history } = await app.stores.get();
    for (let i = 0; i < 3; i++) await history.append(entry(i));
    const early = await receiptNow(app);
    await quit(app);
    const logPath = join(profileDir, 'history', 'history.log');
    await copyFile(logPath, join(profileDir, 'old.log'));

    app = start();
    ({ history } = await app.stores.get());
    for (let i = 3; i < 6; i++) await history.append(entry(i));
    const late = await receiptNow(app);
    expect((await call<ReceiptCheck>(app, 'history:check-receipts', {})).flagged).toEqual([]);
    await quit(app);

    await copyFile(join(profileDir, 'old.log'), logPath);
    app = start();
    const state = await call<{ integrity: HistoryIntegrity }>(app, 'history:state', {});
    expect(state.integrity.reports).toMatchObject([{ kind: 'rolled-back', missing: 3, expected: { count: 6 }, found: { count: 3 } }]);
    const check = await call<ReceiptCheck>(app, 'history:check-receipts', {});
    expect(check.checked).toBe(2);
    expect(check.flagged.map((f) => [f.receipt_id, f.status])).toEqual([[late, 'beyond-log']]);
    expect(check.flagged.some((f) => f.receipt_id === early)).toBe(false);
    await quit(app);

    // Still there after a restart, gone once acknowledged (and after the next restart too).
    app = start();
    const again = await call<{ integrity: HistoryIntegrity }>(app, 'history:state', {});
    const id = again.integrity.reports[0]?.id ?? '';
    expect(again.integrity.reports).toHaveLength(1);
    const after = await call<HistoryIntegrity>(app, 'history:acknowledge', { id });
    expect(after.reports).toEqual([]);
    await quit(app);
    app = start();
    expect((await call<{ integrity: HistoryIntegrity }>(app, 'history:state', {})).integrity.reports).toEqual([]);
    await quit(app);
  });
});
