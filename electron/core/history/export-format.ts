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

/**
 * readablePrefix(JSON.parse(text), true) for a record's canonical JSON read as bytes, without building the record:
 * parsing 100k records was the largest part of the export worker's time after decryption. It reads exactly the
 * layout canonicalJson writes for a record (keys in sorted order, each optional member in its one place) and gives
 * null for anything else, and for any text holding a backslash (an escape would need decoding), so the caller
 * parses those in full. The columns are the ones of COLUMNS, in its order; a property test holds the two to the same
 * output for any record.
 */
export function readablePrefixOfJson(text: string): { prefix: string; seq: number } | null {
  if (text.includes('\\')) return null;
  const c = new CanonicalCursor(text);
  c.lit('{"assurance_level":');
  const level = c.has('null') ? '' : c.num();
  c.lit(',"code":');
  const code = c.str();
  c.lit(',"dataset":{"id":');
  const datasetId = c.str();
  c.lit(',"name":{"en":');
  const datasetEn = c.str();
  c.lit(',"zh":');
  const datasetZh = c.str();
  c.lit('}},"id":');
  const id = c.str();
  if (c.has(',"import":{"file_name":')) {
    c.str();
    c.lit(',"file_sha256":');
    c.str();
    c.lit(',"source":');
    c.str();
    c.lit(',"verdict":');
    c.str();
    c.lit('}');
  }
  c.lit(',"kind":');
  const kind = c.str();
  c.lit(',"method":');
  const method = c.str();
  c.lit(',"provider":{"id":');
  const providerId = c.str();
  c.lit(',"name":{"en":');
  const providerEn = c.str();
  c.lit(',"zh":');
  const providerZh = c.str();
  c.lit('}},"receipt_id":');
  const receipt = c.has('null') ? '' : c.str();
  c.lit(',"recipient":');
  let recipient = 'self';
  let recipientZh = SELF_ZH_BYTES;
  let recipientEn = 'self';
  if (!c.has('{"kind":"self"}')) {
    c.lit('{"id":');
    recipient = c.str();
    c.lit(',"kind":"service-provider","name":{"en":');
    recipientEn = c.str();
    c.lit(',"zh":');
    recipientZh = c.str();
    c.lit('}}');
  }
  c.lit(',"recorded_at":');
  const recordedAt = c.str();
  c.lit(',"result":');
  const result = c.str();
  c.lit(',"seq":');
  const seq = c.num();
  c.lit(',"service":');
  let service = '';
  if (!c.has('null')) {
    c.lit('{"id":');
    service = c.str();
    c.lit(',"name":{"en":');
    c.str();
    c.lit(',"zh":');
    c.str();
    c.lit('}}');
  }
  c.lit(',"subject":');
  let subjectId = '';
  let subjectType = '';
  if (!c.has('null')) {
    c.lit('{"masked_id":');
    subjectId = c.str();
    c.lit(',"type":');
    subjectType = c.str();
    c.lit('}');
  }
  c.lit(',"terms_sha256":');
  const terms = c.has('null') ? '' : c.str();
  c.lit(',"time":');
  const time = c.str();
  c.lit(',"tx_id":');
  const tx = c.str();
  c.lit('}');
  if (!c.done()) return null;
  const cells = [seq, time, recordedAt, kind, result, code, datasetId, datasetZh, datasetEn, providerId, providerZh, providerEn];
  cells.push(recipient, recipientZh, recipientEn, service, subjectId, subjectType, method, level, tx, receipt, terms, id);
  let prefix = '';
  for (const cell of cells) prefix += `${plainCsvField(spreadsheetSafe(cell))},`;
  return { prefix, seq: Number(seq) };
}

/**
 * csvField for a value read from a JSON string without escapes: it cannot hold a quote (the string would have ended
 * there), so quoting never doubles anything; a comma, CR or LF asks for the quotes. Looked for with indexOf rather
 * than csvField's regular expression, which the export asked 2.4 million times.
 */
function plainCsvField(value: string): string {
  return value.includes(',') || value.includes('\n') || value.includes('\r') ? `"${value}"` : value;
}

/** Reads canonical JSON without escapes: literal text, strings and numbers, failing for good at the first surprise. */
class CanonicalCursor {
  private readonly s: string;
  private at = 0;
  private ok = true;

  constructor(s: string) {
    this.s = s;
  }

  lit(t: string): void {
    if (this.ok && this.s.startsWith(t, this.at)) this.at += t.length;
    else this.ok = false;
  }

  has(t: string): boolean {
    if (!this.ok || !this.s.startsWith(t, this.at)) return false;
    this.at += t.length;
    return true;
  }

  /** A string's content (no escapes here: the caller refused any backslash). */
  str(): string {
    const end = this.ok && this.s.charCodeAt(this.at) === 0x22 ? this.s.indexOf('"', this.at + 1) : -1;
    if (end === -1) {
      this.ok = false;
      return '';
    }
    const value = this.s.slice(this.at + 1, end);
    this.at = end + 1;
    return value;
  }

  /** A number exactly as JSON.stringify writes it (so String(value) gives the same text). */
  num(): string {
    let end = this.at;
    while (end < this.s.length && this.s.charCodeAt(end) !== 0x2c && this.s.charCodeAt(end) !== 0x7d) end++;
    const token = this.s.slice(this.at, end);
    if (!this.ok || token === '' || String(Number(token)) !== token) {
      this.ok = false;
      return '';
    }
    this.at = end;
    return token;
  }

  done(): boolean {
    return this.ok && this.at === this.s.length;
  }
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

