// "Keep the records that verify" after verify-on-demand finds a damaged live log: only the damaged tail goes (§8).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/index.ts';
import type { HistoryEntryInput } from '../../../electron/contract/index.ts';

const KEY = new Uint8Array(32).fill(3);

function entry(i: number): HistoryEntryInput {
  return {
    time: new Date(Date.parse('2025-03-01T00:00:00Z') + i * 60_000).toISOString(),
    kind: 'self-download',
    dataset: { id: 'API.syWqjr4flJ', name: { zh: '綜合所得稅資料', en: 'Income tax' } },
    provider: { id: 'mof-fia', name: { zh: '財政資訊中心', en: 'Fiscal Information Agency' } },
    service: null,
    recipient: { kind: 'self' },
    subject: { masked_id: 'A12345****', type: 'natural' },
    method: 'moica',
    assurance_level: 0,
    result: 'success',
    code: '200',
    tx_id: `tx-${String(i)}`,
    receipt_id: null,
    terms_sha256: null,
  };
}

describe('keepValidPrefix on a log opened empty and damaged while open', () => {
  it('drops only the damaged last record, keeps the damaged file as evidence, and the rest verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'history-keep-'));
    const log = await HistoryLog.open({ dir, key: KEY });
    for (let i = 0; i < 5; i++) await log.append(entry(i));
    const file = join(dir, LOG_FILE);
    const bytes = readFileSync(file);
    const at = bytes.length - 20;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);

    const integrity = await log.verify();
    expect(integrity.broken?.position).toBe(4);
    const kept = await log.keepValidPrefix({ confirm: true });
    expect(kept.dropped).toBe(1);
    expect(readFileSync(kept.evidence)).toEqual(bytes);
    expect(log.records().map((r) => r.tx_id)).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3']);
    expect(log.integrity().broken).toBeNull();
    await log.append(entry(9));
    await log.close();

    const reopened = await HistoryLog.open({ dir, key: KEY });
    expect(reopened.integrity().broken).toBeNull();
    expect(reopened.records().map((r) => r.tx_id)).toEqual(['tx-0', 'tx-1', 'tx-2', 'tx-3', 'tx-9']);
    await reopened.close();
  });
});
