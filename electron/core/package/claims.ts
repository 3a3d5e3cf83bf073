// What a provider's signed JSON says of the transaction and the subject, and how a masked identifier is compared and shown.
import type { Bilingual } from './signers.ts';

/** What a signed JSON file says of itself: the dataset, the transaction, the subject (only the subject's own fields, never rows). */
export interface Claims {
  datasetId: string | null;
  datasetName: Bilingual | null;
  txIds: string[];
  subjectIds: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Reads the claims of a signed JSON file; a file that is not a JSON object claims nothing. */
export function signedClaims(bytes: Uint8Array): Claims {
  const claims: Claims = { datasetId: null, datasetName: null, txIds: [], subjectIds: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    return claims;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return claims;
  const top = doc as Record<string, unknown>;
  const dataset = typeof top.dataset === 'object' && top.dataset !== null ? (top.dataset as Record<string, unknown>) : {};
  claims.datasetId = str(dataset.id) ?? str(top.resource_id);
  const zh = str(dataset.name_zh);
  if (zh !== null) claims.datasetName = { zh, en: str(dataset.name_en) ?? zh };
  for (const key of ['tx_id', 'txId', 'transaction_id']) {
    const v = str(top[key]);
    if (v !== null) claims.txIds.push(v);
  }
  const subject = typeof top.subject === 'object' && top.subject !== null ? (top.subject as Record<string, unknown>) : {};
  const idKeys = ['id', 'id_masked', 'national_id', 'idno', 'id_no', 'ban', '身分證統一編號', '統一編號'];
  for (const key of idKeys) {
    const v = str(subject[key]);
    if (v !== null) claims.subjectIds.push(v);
  }
  for (const key of idKeys.filter((k) => k !== 'id' && k !== 'id_masked')) {
    const v = str(top[key]);
    if (v !== null) claims.subjectIds.push(v);
  }
  return claims;
}

const MASK = /[*＊Xx○]/;

/** Two identifiers that may name the same person: same length and equal wherever neither is masked (case-insensitive). */
export function sameSubject(a: string, b: string): boolean {
  const x = a.trim().toUpperCase();
  const y = b.trim().toUpperCase();
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i += 1) {
    const p = x.charAt(i);
    const q = y.charAt(i);
    if (MASK.test(p) || MASK.test(q)) continue;
    if (p !== q) return false;
  }
  return true;
}

/** A masked identifier for messages: never more of it than the masked form already shows. */
export function shownId(id: string): string {
  return id.length <= 4 ? '****' : `${id.slice(0, -4)}****`;
}
