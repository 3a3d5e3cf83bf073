// The export format's rows (mydata-desktop-history/1, see export.ts): the header block, the readable columns, one row per
// record. Kept free of heavy imports: the export worker (export-worker.ts) loads it on its own thread.
import type { HistoryRecord } from '../../contract/history.ts';
import { GENESIS } from './chain.ts';
import { csvField, csvRow, spreadsheetSafe } from './csv.ts';

export const EXPORT_FORMAT = 'mydata-desktop-history/1';
export const EXPORT_TITLE = 'MyData Desktop history export';

/** How "self" reads in the recipient_zh column: text, or the same as its UTF-8 bytes one per character (see readablePrefix). */
const SELF_ZH = '本人';
const SELF_ZH_BYTES = Buffer.from(SELF_ZH, 'utf8').toString('latin1');

/** The readable columns (header name and how a record fills it; `selfZh` is SELF_ZH in the form the record's text is in). */
const COLUMNS: readonly [string, (r: HistoryRecord, selfZh: string) => string][] = [
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
  ['recipient_zh', (r, selfZh) => (r.recipient.kind === 'self' ? selfZh : r.recipient.name.zh)],
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
  return COLUMNS.map(([, get]) => spreadsheetSafe(get(r, SELF_ZH)));
}

/**
 * The readable columns as the start of a row, each followed by its comma: what `csvRow(readable(r))` + "," gives.
 * With `bytes`, `r` was parsed from the record's UTF-8 read one byte per character (latin1), so every string in it is
 * its UTF-8 bytes; the result is then the row's UTF-8 bytes in the same form, to be written as latin1. That holds
 * because everything the columns do to a value looks only at ASCII characters (formula marks, quote, comma, CR, LF),
 * and in UTF-8 an ASCII byte is never part of another character. The export worker reads records this way: decoding
 * 100k records' UTF-8 and encoding the rows again was a fifth of the export's time. A record with a \u escape must
 * not be read so (the escape would give a real character), and the caller reads those as text.
 */
export function readablePrefix(r: HistoryRecord, bytes: boolean): string {
  const selfZh = bytes ? SELF_ZH_BYTES : SELF_ZH;
  let row = '';
  for (const [, get] of COLUMNS) row += `${csvField(spreadsheetSafe(get(r, selfZh)))},`;
  return row;
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

