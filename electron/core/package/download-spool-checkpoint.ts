// A resumable spool's file name and its two checkpoint slots: how much data is intact, the SHA-256 of it, the data key and what the platform announced, sealed under the spool key.
import { createHmac } from 'node:crypto';
import { openSmall, sealSmall } from '../vault/seal.ts';

export const SPOOL_SUFFIX = '.spool';
/** Resumable spools are named by an HMAC of their transaction id (no id on disk, found again by the next run). */
export const RESUMABLE_NAME = /^[0-9a-f]{32}\.spool$/;
/** Two checkpoint slots at the head of the file, then the data. */
export const SLOT_BYTES = 512;
export const DATA_OFFSET = 2 * SLOT_BYTES;
const SLOT_MAGIC = Buffer.from('MDSPOOL1', 'ascii');

/** What the platform announced with the first response; a resumed download checks the Range answer against it. */
export interface SpoolAnnounced {
  status: 200 | 403;
  total: number;
  sha256: string | null;
}

export interface Checkpoint {
  seq: number;
  length: number;
  prefix: string;
  key: string;
  iv: string;
  tx: string;
  announced: SpoolAnnounced | null;
}

/** The file name of a transaction's resumable spool. */
export function resumableName(spoolKey: Uint8Array, txId: string): string {
  return `${createHmac('sha256', spoolKey).update(`mydata-spool/v1/name/${txId}`).digest('hex').slice(0, 32)}${SPOOL_SUFFIX}`;
}

function slotAad(name: string): Buffer {
  return Buffer.from(`mydata-spool/v1/slot/${name}`, 'utf8');
}

function isAnnounced(value: unknown): value is SpoolAnnounced {
  const a = value as Partial<SpoolAnnounced> | null;
  return a !== null && typeof a === 'object' && (a.status === 200 || a.status === 403) && Number.isSafeInteger(a.total) && (a.total ?? 0) > 0 && (a.sha256 === null || (typeof a.sha256 === 'string' && /^[0-9a-f]{64}$/.test(a.sha256)));
}

/** A slot's checkpoint, or null when it is empty, torn, sealed by another key or for another spool. */
export function openSlot(bytes: Buffer, spoolKey: Uint8Array, name: string, txId: string): Checkpoint | null {
  if (bytes.length < SLOT_BYTES || !bytes.subarray(0, SLOT_MAGIC.length).equals(SLOT_MAGIC)) return null;
  const length = bytes.readUInt16BE(SLOT_MAGIC.length);
  if (length > SLOT_BYTES - SLOT_MAGIC.length - 2) return null;
  try {
    const plain = openSmall(spoolKey, bytes.subarray(SLOT_MAGIC.length + 2, SLOT_MAGIC.length + 2 + length), slotAad(name));
    const c = JSON.parse(plain.toString('utf8')) as Partial<Checkpoint>;
    if (c.tx !== txId || !Number.isSafeInteger(c.seq) || !Number.isSafeInteger(c.length) || (c.length ?? -1) < 0) return null;
    if (typeof c.prefix !== 'string' || typeof c.key !== 'string' || typeof c.iv !== 'string') return null;
    if (c.announced !== null && !isAnnounced(c.announced)) return null;
    const key = Buffer.from(c.key, 'base64');
    const iv = Buffer.from(c.iv, 'base64');
    if (key.length !== 32 || iv.length !== 16) return null;
    return c as Checkpoint;
  } catch {
    return null;
  }
}

/** A checkpoint sealed into its slot's bytes and where they go (slots alternate, so the older one stays intact). */
export function sealSlot(checkpoint: Checkpoint, spoolKey: Uint8Array, name: string): { bytes: Buffer; at: number } {
  const sealed = sealSmall(spoolKey, Buffer.from(JSON.stringify(checkpoint), 'utf8'), slotAad(name));
  if (SLOT_MAGIC.length + 2 + sealed.length > SLOT_BYTES) throw new Error('spool checkpoint does not fit its slot');
  const bytes = Buffer.alloc(SLOT_BYTES);
  SLOT_MAGIC.copy(bytes, 0);
  bytes.writeUInt16BE(sealed.length, SLOT_MAGIC.length);
  sealed.copy(bytes, SLOT_MAGIC.length + 2);
  return { bytes, at: (checkpoint.seq % 2) * SLOT_BYTES };
}
