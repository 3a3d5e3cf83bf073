// The history's public chain: canonical JSON of each record, hashed with the previous hash (SHA-256), checkable
// by anyone from an export, without the key.
import { createHash } from 'node:crypto';

/**
 * The value the first record's `prev` carries: SHA-256 of the ASCII text "mydata-desktop/history/v1/genesis".
 * A constant, so a third party can start the chain without anything from the app.
 */
export const GENESIS = createHash('sha256').update('mydata-desktop/history/v1/genesis').digest('hex');

/**
 * Canonical JSON (the subset of RFC 8785 that records use): object keys sorted by UTF-16 code units, no
 * whitespace, strings and finite numbers as JSON.stringify writes them, arrays in order. Undefined members
 * are refused rather than dropped, so what is hashed is exactly what is stored.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = obj[k];
      if (v === undefined) throw new TypeError(`canonicalJson: undefined member ${k}`);
      parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
}

/**
 * The hash of one chain entry: SHA-256 over the UTF-8 bytes of `prev` (64 hex chars), a line feed, and the
 * record's canonical JSON. The record itself carries `seq`, so the position is covered too.
 */
export function entryHash(prev: string, recordCanonical: string): string {
  return createHash('sha256').update(prev).update('\n').update(recordCanonical).digest('hex');
}
