// Receipts against the history (G12, G14): a receipt's {chain_head, count} must be in the log (the app) and in an export
// (`npm run history:verify -- FILE --receipt R`); a forged head, a log cut short or rolled back is flagged.
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS } from '../../../electron/core/history/chain.ts';
import { exportCsv } from '../../../electron/core/history/export.ts';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/log.ts';
import { checkReceiptHead, receiptHead } from '../../../electron/core/history/receipt-check.ts';
import { KEY, entry, tempDir } from './fixtures.ts';

/** A log of n records, and the {chain_head, count} a receipt made after each record would carry. */
async function logWithHeads(dir: string, n: number) {
  const log = await HistoryLog.open({ dir, key: KEY });
  const heads = [{ chain_head: log.head(), count: log.length }];
  for (let i = 0; i < n; i++) {
    await log.append(entry(i));
    heads.push({ chain_head: log.head(), count: log.length });
  }
  return { log, heads };
}

const forged = 'ab'.repeat(32);

describe('receipt heads in the app', () => {
  it('finds every real receipt head at its length, flags a forged head and a length the log does not reach', async () => {
    const dir = tempDir();
    const { log, heads } = await logWithHeads(dir, 8);
    for (const h of heads) expect(checkReceiptHead(log.position(), h)).toBe('in-log');
    expect(heads[0]).toEqual({ chain_head: GENESIS, count: 0 });
    expect(checkReceiptHead(log.position(), { chain_head: forged, count: 4 })).toBe('not-in-log');
    // A real head at the wrong length is not in the log either.
    expect(checkReceiptHead(log.position(), { chain_head: heads[3]?.chain_head ?? '', count: 4 })).toBe('not-in-log');
    expect(checkReceiptHead(log.position(), { chain_head: forged, count: 9 })).toBe('beyond-log');
    await log.close();
  });

  it('flags the receipts made after the point an older copy of the log was put back to', async () => {
    const dir = tempDir();
    const first = await logWithHeads(dir, 4);
    await first.log.close();
    copyFileSync(join(dir, LOG_FILE), join(dir, 'old.log'));
    const log = await HistoryLog.open({ dir, key: KEY });
    const later: { chain_head: string; count: number }[] = [];
    for (let i = 4; i < 7; i++) {
      await log.append(entry(i));
      later.push({ chain_head: log.head(), count: log.length });
    }
    await log.close();
    copyFileSync(join(dir, 'old.log'), join(dir, LOG_FILE));
    const rolled = await HistoryLog.open({ dir, key: KEY });
    for (const h of first.heads) expect(checkReceiptHead(rolled.position(), h)).toBe('in-log');
    for (const h of later) expect(checkReceiptHead(rolled.position(), h)).toBe('beyond-log');
    // Then new records on the old copy: the later receipts' lengths are reached again, with other heads.
    for (let i = 0; i < 3; i++) await rolled.append(entry(50 + i));
    for (const h of later) expect(checkReceiptHead(rolled.position(), h)).toBe('not-in-log');
    await rolled.close();
  });

  it('reads a receipt JSON, refusing one without a well-formed history member', () => {
    expect(receiptHead(JSON.stringify({ receipt_id: 'x', history: { chain_head: forged, count: 3 } }))).toEqual({ chain_head: forged, count: 3 });
    expect(receiptHead(JSON.stringify({ history: { chain_head: 'AB'.repeat(32), count: 3 } }))).toBeNull();
    expect(receiptHead(JSON.stringify({ history: { chain_head: forged, count: -1 } }))).toBeNull();
    expect(receiptHead('not json')).toBeNull();
  });
});

describe('npm run history:verify -- FILE --receipt R', () => {
  const cli = join(import.meta.dirname, '../../../electron/core/history/verify-cli.ts');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  it('exits 0 when every receipt is in the export, 4 when one is not, 2 when a receipt file is not a receipt', async () => {
    const dir = tempDir();
    const { log, heads } = await logWithHeads(dir, 6);
    const csv = join(dir, 'history.csv');
    writeFileSync(csv, exportCsv(log));
    await log.close();
    const receipt = (name: string, history: { chain_head: string; count: number }) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ version: 'x', receipt_id: name, history }));
      return path;
    };
    const r2 = receipt('r2.json', heads[2] ?? { chain_head: '', count: 0 });
    const r6 = receipt('r6.json', heads[6] ?? { chain_head: '', count: 0 });
    const bad = receipt('bad.json', { chain_head: forged, count: 3 });
    const beyond = receipt('beyond.json', { chain_head: forged, count: 9 });

    const ok = run('--', csv, '--receipt', r2, '--receipt', r6);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/RECEIPT in-log: .*r2\.json/);
    expect(ok.stdout).toMatch(/RECEIPT in-log: .*r6\.json/);

    const flagged = run(csv, '--receipt', r2, '--receipt', bad, '--receipt', beyond);
    expect(flagged.status).toBe(4);
    expect(flagged.stdout).toMatch(/RECEIPT not-in-log: .*bad\.json/);
    expect(flagged.stdout).toMatch(/RECEIPT beyond-log: .*beyond\.json/);

    const notReceipt = join(dir, 'other.json');
    writeFileSync(notReceipt, '{"a":1}');
    expect(run(csv, '--receipt', notReceipt).status).toBe(2);
    expect(run(csv, '--receipt').status).toBe(2);
    expect(run(csv, '--receipt', join(dir, 'missing.json')).status).toBe(2);
  });
});
