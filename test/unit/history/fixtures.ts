// Shared helpers for the history tests: synthetic entries (masked IDs only) and temporary directories.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryEntrySchema, type HistoryEntryInput, type HistoryRecord } from '../../../electron/contract/history.ts';
import { GENESIS, canonicalJson, entryHash } from '../../../electron/core/history/chain.ts';
import { TYPE_RECORD, deriveLogKeys, encodeFrame, encodeHeader } from '../../../electron/core/history/format.ts';
import { LOG_FILE } from '../../../electron/core/history/log.ts';

export const KEY = new Uint8Array(32).fill(7);
export const OTHER_KEY = new Uint8Array(32).fill(9);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mydata-history-'));
}

const datasets = [
  { id: 'HHR-001', name: { zh: '個人健保就醫紀錄', en: 'NHI medical visits' }, provider: { id: 'nhia', name: { zh: '衛生福利部中央健康保險署', en: 'National Health Insurance Administration' } } },
  { id: 'LAB-INS', name: { zh: '勞保投保資料', en: 'Labour insurance records' }, provider: { id: 'bli', name: { zh: '勞動部勞工保險局', en: 'Bureau of Labor Insurance' } } },
  { id: 'TAX-INC', name: { zh: '綜合所得稅各類所得資料', en: 'Income tax data' }, provider: { id: 'fia', name: { zh: '財政部財政資訊中心', en: 'Fiscal Information Agency' } } },
];
const recipients = [
  { kind: 'self' as const },
  { kind: 'service-provider' as const, id: 'bank-a', name: { zh: '甲商業銀行', en: 'Bank A' } },
  { kind: 'service-provider' as const, id: 'ins-b', name: { zh: '乙人壽保險', en: 'B Life Insurance' } },
];
const results = ['success', 'failure', 'refused', 'partial'] as const;

/** A deterministic synthetic entry for index i (time increasing by one hour from `start`). */
export function entry(i: number, start = Date.parse('2025-01-01T00:00:00Z')): HistoryEntryInput {
  const d = datasets[i % datasets.length]!;
  const r = recipients[i % recipients.length]!;
  const result = results[(i >> 2) % results.length]!;
  const legal = i % 5 === 4;
  return {
    time: new Date(start + i * 3_600_000).toISOString(),
    kind: result === 'refused' ? 'refusal' : result === 'failure' ? 'failure' : r.kind === 'self' ? 'self-download' : 'delivery',
    dataset: { id: d.id, name: d.name },
    provider: d.provider,
    service: { id: `svc-${r.kind === 'self' ? 'self' : r.id}`, name: { zh: '測試服務', en: 'Test service' } },
    recipient: r,
    subject: legal ? { masked_id: '1234****', type: 'legal' } : { masked_id: 'A12345****', type: 'natural' },
    method: legal ? 'MOEACA' : 'MOICA',
    assurance_level: legal ? 0.5 : 0,
    result,
    code: result === 'success' ? '200' : result === 'refused' ? '205' : result === 'partial' ? '403' : '504',
    tx_id: `tx-${String(i).padStart(6, '0')}`,
    receipt_id: result === 'refused' ? null : `rcpt-${i}`,
    terms_sha256: 'ab'.repeat(32),
  };
}

/**
 * Writes an n-record log under KEY in one go, framed, chained and encrypted with the log's own format functions
 * (appending one by one, each synced, would take minutes for the large logs of the benchmark). Returns the path.
 */
export function writeLogFile(
  dir: string,
  n: number,
  start = Date.parse('2025-01-01T00:00:00Z'),
  make: (i: number, start: number) => HistoryEntryInput = entry,
  /** A record whose `prev` is wrong (its frame still authenticates): the content chain breaks there. */
  breakAt = -1,
): string {
  const keys = deriveLogKeys(KEY);
  const header = encodeHeader(keys);
  const fileId = header.subarray(16, 32);
  const parts: Buffer[] = [header];
  let prev = GENESIS;
  let lastHash: Buffer | null = null;
  for (let i = 0; i < n; i++) {
    const e = HistoryEntrySchema.parse(make(i, start + i * 60_000 - i * 3_600_000));
    const record: HistoryRecord = { ...e, seq: i, id: randomUUID(), recorded_at: e.time };
    const canonical = canonicalJson(record);
    const f = encodeFrame(keys, fileId, lastHash, i, TYPE_RECORD, Buffer.from(`${i === breakAt ? 'f'.repeat(64) : prev}\n${canonical}`, 'utf8'));
    parts.push(f.frame);
    lastHash = f.hash;
    prev = entryHash(i === breakAt ? 'f'.repeat(64) : prev, canonical);
  }
  const file = join(dir, LOG_FILE);
  writeFileSync(file, Buffer.concat(parts));
  return file;
}
