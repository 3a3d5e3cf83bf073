// The verifiable CSV export of the history, and its verifier (used by `npm run history:verify`, G14/G15).
//
// Format "mydata-desktop-history/1": UTF-8 with BOM, CRLF, RFC 4180.
//   1. A header block of key,value rows, then one empty row:
//        MyData Desktop history export,mydata-desktop-history/1
//        chain_head,<hex>      hash of the last record (or `anchor` when there is none)
//        records,<n>
//        first_seq,<k>         seq of the first record (= pruned_count)
//        pruned_count,<k>      records dropped by retention before this export
//        anchor,<hex>          `prev` of the first record: GENESIS, or the pruned prefix's head
//        genesis,<hex>         the fixed GENESIS value, for reference
//        exported_at,<ISO>
//   2. A table: the readable columns of COLUMNS, then prev, hash, record_json.
// The chain: hash = SHA-256( prev + "\n" + record_json ), where record_json is the record's canonical JSON
// (chain.ts) and prev is the previous row's hash (the first row's is `anchor`). Anyone can recompute it from the
// file alone; the readable columns must agree with record_json, so editing what Excel shows is caught too.
// The chain proves the rows were not changed, dropped, reordered or inserted relative to `chain_head`; to trust
// chain_head itself, compare it with one printed earlier (a receipt, the PDF report, the History screen).
import { createHash } from 'node:crypto';
import { HistoryRecordSchema, type HistoryRecord } from '../../contract/history.ts';
import { GENESIS, canonicalJson, entryHash } from './chain.ts';
import { BOM, CsvSyntaxError, csvRow, parseCsv, spreadsheetSafe } from './csv.ts';
import type { Checkpoint } from './format.ts';

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

function readable(r: HistoryRecord): string[] {
  return COLUMNS.map(([, get]) => spreadsheetSafe(get(r)));
}

/** What an export needs from the log (HistoryLog provides it). */
export interface ExportSource {
  records(): readonly HistoryRecord[];
  hashes(): readonly string[];
  readonly checkpoint: Checkpoint | null;
  head(): string;
}

/** The whole history as the CSV text of the module comment (BOM included). */
export function exportCsv(source: ExportSource, exportedAt: Date = new Date()): string {
  const records = source.records();
  const hashes = source.hashes();
  const pruned = source.checkpoint?.pruned_count ?? 0;
  const anchor = source.checkpoint?.head ?? GENESIS;
  const lines: string[] = [
    csvRow([EXPORT_TITLE, EXPORT_FORMAT]),
    csvRow(['chain_head', source.head()]),
    csvRow(['records', String(records.length)]),
    csvRow(['first_seq', String(records[0]?.seq ?? pruned)]),
    csvRow(['pruned_count', String(pruned)]),
    csvRow(['anchor', anchor]),
    csvRow(['genesis', GENESIS]),
    csvRow(['exported_at', exportedAt.toISOString()]),
    '',
    csvRow(EXPORT_COLUMNS),
  ];
  let prev = anchor;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === undefined) continue;
    const hash = hashes[i] ?? '';
    // Records are held in canonical key order (parsed from their canonical text), so JSON.stringify gives the
    // hashed bytes; the hash check keeps that an optimisation, never an assumption.
    let json = JSON.stringify(r);
    if (createHash('sha256').update(`${prev}\n${json}`, 'utf8').digest('hex') !== hash) json = canonicalJson(r);
    lines.push(csvRow([...readable(r), prev, hash, json]));
    prev = hash;
  }
  return BOM + lines.join('\r\n') + '\r\n';
}

export type ExportVerification =
  | { ok: true; records: number; chain_head: string; pruned_count: number; first_seq: number }
  | {
      ok: false;
      /** 'format': not an export of this kind at all (exit 2); 'broken': an export whose chain or content fails (exit 1). */
      kind: 'format' | 'broken';
      /** Chain position (seq) of the first bad record, when a record is at fault. */
      position: number | null;
      /** 1-based CSV line of the first bad row or header field. */
      line: number | null;
      reason: string;
    };

function broken(reason: string, position: number | null, line: number | null): ExportVerification {
  return { ok: false, kind: 'broken', position, line, reason };
}

/** Re-computes an export's chain from the file alone (no key) and checks every row against it. */
export function verifyCsvExport(text: string): ExportVerification {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return broken(`CSV syntax: ${error.message}`, null, error.line);
    throw error;
  }
  const first = rows[0];
  if (first?.fields[0] !== EXPORT_TITLE) return { ok: false, kind: 'format', position: null, line: 1, reason: 'not a MyData Desktop history export' };
  if (first.fields[1] !== EXPORT_FORMAT) return { ok: false, kind: 'format', position: null, line: 1, reason: `unsupported format ${first.fields[1] ?? ''}` };
  const meta = new Map<string, { value: string; line: number }>();
  let i = 1;
  for (; i < rows.length; i++) {
    const row = rows[i];
    if (!row || (row.fields.length === 1 && row.fields[0] === '')) break;
    meta.set(row.fields[0] ?? '', { value: row.fields[1] ?? '', line: row.line });
  }
  const need = (k: string) => meta.get(k);
  for (const k of ['chain_head', 'records', 'first_seq', 'pruned_count', 'anchor']) {
    if (!need(k)) return broken(`header field ${k} missing`, null, null);
  }
  const chainHead = need('chain_head')?.value ?? '';
  const count = Number(need('records')?.value);
  const firstSeq = Number(need('first_seq')?.value);
  const prunedCount = Number(need('pruned_count')?.value);
  const anchor = need('anchor')?.value ?? '';
  if (!Number.isInteger(count) || !Number.isInteger(firstSeq) || !Number.isInteger(prunedCount)) return broken('header numbers are not integers', null, null);
  if (prunedCount === 0 && anchor !== GENESIS) return broken('anchor must be the genesis value when nothing was pruned', null, need('anchor')?.line ?? null);
  if (firstSeq !== prunedCount) return broken('first_seq differs from pruned_count', null, need('first_seq')?.line ?? null);
  const header = rows[i + 1];
  if (!header || header.fields.join(',') !== EXPORT_COLUMNS.join(',')) return broken('table header differs from the format', null, header?.line ?? null);
  const body = rows.slice(i + 2).filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  let prev = anchor;
  let seq = firstSeq;
  for (const row of body) {
    if (row.fields.length !== EXPORT_COLUMNS.length) return broken(`row has ${row.fields.length} fields, expected ${EXPORT_COLUMNS.length}`, seq, row.line);
    const json = row.fields[EXPORT_COLUMNS.length - 1] ?? '';
    const rowPrev = row.fields[EXPORT_COLUMNS.length - 3];
    const rowHash = row.fields[EXPORT_COLUMNS.length - 2];
    let record: HistoryRecord;
    try {
      const parsed = HistoryRecordSchema.safeParse(JSON.parse(json));
      if (!parsed.success) return broken(`record_json is not a valid record (${parsed.error.issues[0]?.path.join('.') ?? ''})`, seq, row.line);
      record = parsed.data;
    } catch {
      return broken('record_json is not JSON', seq, row.line);
    }
    if (record.seq !== seq) return broken(`expected seq ${seq}, found ${record.seq} (a record was removed, inserted or moved)`, seq, row.line);
    if (rowPrev !== prev) return broken('prev does not match the previous row’s hash', seq, row.line);
    const h = entryHash(prev, json);
    if (rowHash !== h) return broken('hash does not match the record (the record was changed)', seq, row.line);
    const shown = readable(record);
    const differs = shown.findIndex((v, k) => row.fields[k] !== v);
    if (differs !== -1) return broken(`column ${EXPORT_COLUMNS[differs] ?? ''} differs from record_json`, seq, row.line);
    prev = h;
    seq++;
  }
  if (body.length !== count) return broken(`header says ${count} records, found ${body.length}`, seq, null);
  if (prev !== chainHead) return broken('chain_head does not match the last record’s hash', seq, need('chain_head')?.line ?? null);
  return { ok: true, records: body.length, chain_head: chainHead, pruned_count: prunedCount, first_seq: firstSeq };
}
