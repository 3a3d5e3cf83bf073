// The export format's rows (mydata-desktop-history/1, see export.ts): the header block, the readable columns, one row per
// record. Kept free of heavy imports: the export worker (export-worker.ts) loads it on its own thread.
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { csvRow, spreadsheetSafe } from './csv.ts';

export const EXPORT_FORMAT = 'mydata-desktop-history/1';
export const EXPORT_TITLE = 'MyData Desktop history export';

/** The readable columns (header name and how a record fills it). */
const COLUMNS: readonly [string, (r: HistoryRecord) => string][] = [
  ['seq', (r) => String(r.seq)],
  ['time', (r) => r.time],
  ['recorded_at', (r) => r.recorded_at],
  ['kind', (r) => r.kind],
  ['result', (r) => r.result],
  ['code', (r) => r.code],
  ['dataset_id', (r) => r.dataset.id],
  ['dataset_zh', (r) => r.dataset.name.zh],
  ['dataset_en', (r) => r.dataset.name.en],
  ['provider_id', (r) => r.provider.id],
  ['provider_zh', (r) => r.provider.name.zh],
  ['provider_en', (r) => r.provider.name.en],
  ['recipient', (r) => (r.recipient.kind === 'self' ? 'self' : r.recipient.id)],
  ['recipient_zh', (r) => (r.recipient.kind === 'self' ? '本人' : r.recipient.name.zh)],
  ['recipient_en', (r) => (r.recipient.kind === 'self' ? 'self' : r.recipient.name.en)],
  ['service_id', (r) => r.service?.id ?? ''],
  ['subject_id', (r) => r.subject?.masked_id ?? ''],
  ['subject_type', (r) => r.subject?.type ?? ''],
  ['method', (r) => r.method],
  ['assurance_level', (r) => (r.assurance_level === null ? '' : String(r.assurance_level))],
  ['tx_id', (r) => r.tx_id],
  ['receipt_id', (r) => r.receipt_id ?? ''],
  ['terms_sha256', (r) => r.terms_sha256 ?? ''],
  ['record_id', (r) => r.id],
];
export const EXPORT_COLUMNS: readonly string[] = [...COLUMNS.map(([name]) => name), 'prev', 'hash', 'record_json'];

export function readable(r: HistoryRecord): string[] {
  return COLUMNS.map(([, get]) => spreadsheetSafe(get(r)));
}

/** The header block and the table's header row, each line without its CRLF (BOM not included). */
export function exportHeaderLines(h: { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string; exportedAt: Date }): string[] {
  return [
    csvRow([EXPORT_TITLE, EXPORT_FORMAT]),
    csvRow(['chain_head', h.head]),
    csvRow(['records', String(h.records)]),
    csvRow(['first_seq', String(h.firstSeq)]),
    csvRow(['pruned_count', String(h.prunedCount)]),
    csvRow(['anchor', h.anchor]),
    csvRow(['genesis', GENESIS]),
    csvRow(['exported_at', h.exportedAt.toISOString()]),
    '',
    csvRow(EXPORT_COLUMNS),
  ];
}

/** One table row: `json` is the record's canonical JSON exactly as hashed, `record` the same parsed. */
export function exportRow(record: HistoryRecord, prev: string, hash: string, json: string): string {
  return csvRow([...readable(record), prev, hash, json]);
}

