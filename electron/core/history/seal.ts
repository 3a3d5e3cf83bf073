// The sealed checkpoint (G14, ARCHITECTURE §8): how far the log was last checked in full — its file id, frame count,
// byte length, last frame hash, chain length and head — with the rows the screen's index needs and each record's
// chain hash, sealed with AES-256-GCM under a key derived from the history key (itself derived from the vault's
// master key, so protected as the vault key is; without it nobody can write a seal that opens).
//
// Open then checks only the frames after the sealed point, and the whole chain is checked again in the background
// and by verify(). A seal that does not authenticate (forged, damaged) or does not describe this file as it stands
// (another file id, beyond the end, a different frame hash at its end: an older or foreign seal) is refused, and
// open checks everything, as without one.
//
//   file  "MDSEAL01" (8) | nonce (12) | AES-256-GCM(plaintext, see VERSION below) | tag (16); additional data = "MDSEAL01"
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { nodeVaultFs, writeFileAtomic } from '../vault/fsio.ts';
import { hkdf } from '../vault/keys.ts';
import { canonicalJson } from './chain.ts';
import type { Checkpoint } from './format.ts';
import type { RecordRow } from './records.ts';

export const SEAL_FILE = 'history.seal';
const MAGIC = Buffer.from('MDSEAL01', 'latin1');
/** Far above any real seal (100k records seal into about 11 MB); a larger file is refused unread. */
const MAX_SEAL_BYTES = 512 * 1024 * 1024;

/** What a seal says about the log; `rows`, `hashes` and `offsets` are per record, in chain order. */
export interface Seal {
  fileId: Buffer;
  /** Frames up to the sealed point, and the byte offset just after the last of them. */
  frames: number;
  end: number;
  /** The last sealed frame's hash (null: no frame yet). */
  lastFrameHash: Buffer | null;
  checkpoint: Checkpoint | null;
  rows: RecordRow[];
  hashes: string[];
  offsets: number[];
}

/** 'outdated': an earlier version's seal, which open treats as stale (it checks everything and seals anew). */
export type SealProblem = 'missing' | 'forged' | 'outdated';

export function sealKey(historyKey: Uint8Array): Buffer {
  return hkdf(historyKey, new Uint8Array(0), 'mydata-desktop/v1/history/seal');
}

/**
 * The sealed plaintext, version 2: version u8 | meta length u32 LE | meta JSON | rows (n × ROW_BYTES) | hashes
 * (n × 32) | times | recording times (each n ISO instants joined by LF, UTF-8). A row is seq f64 | frame offset f64 |
 * recipient, provider, dataset u32 (indices into the meta's tables) | kind, result, subject u8 (likewise; subject
 * NO_SUBJECT = none) | one spare byte; little-endian. Binary columns rather than JSON arrays: decoding 100k rows of
 * JSON was most of the time an open from the seal took.
 */
const VERSION = 2;
const ROW_BYTES = 32;
const NO_SUBJECT = 255;

interface Meta {
  file_id: string;
  frames: number;
  end: number;
  last_frame_hash: string | null;
  checkpoint: Checkpoint | null;
  n: number;
  recipients: RecordRow['recipient'][];
  providers: RecordRow['provider'][];
  datasets: RecordRow['dataset'][];
  kinds: RecordRow['kind'][];
  results: RecordRow['result'][];
  subjects: NonNullable<RecordRow['subject']>['type'][];
  times_bytes: number;
}

class Table<T> {
  readonly list: T[] = [];
  private readonly seen = new Map<string, number>();
  at(value: T): number {
    const key = typeof value === 'string' ? value : canonicalJson(value);
    let at = this.seen.get(key);
    if (at === undefined) {
      at = this.list.length;
      this.list.push(value);
      this.seen.set(key, at);
    }
    return at;
  }
}

function plaintextOf(seal: Seal): Buffer {
  const n = seal.rows.length;
  const recipients = new Table<RecordRow['recipient']>();
  const providers = new Table<RecordRow['provider']>();
  const datasets = new Table<RecordRow['dataset']>();
  const kinds = new Table<RecordRow['kind']>();
  const results = new Table<RecordRow['result']>();
  const subjects = new Table<NonNullable<RecordRow['subject']>['type']>();
  const rows = Buffer.alloc(n * ROW_BYTES);
  const times: string[] = new Array<string>(n);
  const recorded: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = seal.rows[i] as RecordRow;
    const at = i * ROW_BYTES;
    rows.writeDoubleLE(r.seq, at);
    rows.writeDoubleLE(seal.offsets[i] ?? -1, at + 8);
    rows.writeUInt32LE(recipients.at(r.recipient), at + 16);
    rows.writeUInt32LE(providers.at({ id: r.provider.id, name: r.provider.name }), at + 20);
    rows.writeUInt32LE(datasets.at({ id: r.dataset.id, name: r.dataset.name }), at + 24);
    rows.writeUInt8(kinds.at(r.kind), at + 28);
    rows.writeUInt8(results.at(r.result), at + 29);
    rows.writeUInt8(r.subject ? subjects.at(r.subject.type) : NO_SUBJECT, at + 30);
    times[i] = r.time;
    recorded[i] = r.recorded_at;
  }
  const timesText = Buffer.from(times.join('\n'), 'utf8');
  const recordedText = Buffer.from(recorded.join('\n'), 'utf8');
  const hashes = Buffer.from(seal.hashes.join(''), 'hex');
  const meta: Meta = {
    file_id: seal.fileId.toString('hex'),
    frames: seal.frames,
    end: seal.end,
    last_frame_hash: seal.lastFrameHash?.toString('hex') ?? null,
    checkpoint: seal.checkpoint,
    n,
    recipients: recipients.list,
    providers: providers.list,
    datasets: datasets.list,
    kinds: kinds.list,
    results: results.list,
    subjects: subjects.list,
    times_bytes: timesText.length,
  };
  const metaText = Buffer.from(JSON.stringify(meta), 'utf8');
  const head = Buffer.alloc(5);
  head.writeUInt8(VERSION, 0);
  head.writeUInt32LE(metaText.length, 1);
  return Buffer.concat([head, metaText, rows, hashes, timesText, recordedText]);
}

export function encodeSeal(key: Buffer, seal: Seal): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(plaintextOf(seal)), cipher.final()]);
  return Buffer.concat([MAGIC, nonce, body, cipher.getAuthTag()]);
}

/** The seal in an authenticated plaintext; 'outdated' for an earlier version's, null for a shape this one cannot read. */
function sealOfPlaintext(plain: Buffer): Seal | 'outdated' | null {
  // Version 1 was JSON text: its first byte is "{".
  if (plain.length < 5) return null;
  if (plain.readUInt8(0) !== VERSION) return 'outdated';
  const metaEnd = 5 + plain.readUInt32LE(1);
  // Only the key holder writes seals, so the shape is checked for another version's seal, not for hostility.
  const m = JSON.parse(plain.toString('utf8', 5, metaEnd)) as Meta;
  const n = m.n;
  const rowsAt = metaEnd;
  const hashesAt = rowsAt + n * ROW_BYTES;
  const timesAt = hashesAt + n * 32;
  const recordedAt = timesAt + m.times_bytes;
  if (!Number.isInteger(n) || n < 0 || recordedAt > plain.length) return null;
  const times = n === 0 ? [] : plain.toString('utf8', timesAt, recordedAt).split('\n');
  const recorded = n === 0 ? [] : plain.toString('utf8', recordedAt).split('\n');
  if (times.length !== n || recorded.length !== n) return null;
  const hex = plain.toString('hex', hashesAt, timesAt);
  const subjects = m.subjects.map((type) => ({ type }));
  const rows: RecordRow[] = new Array<RecordRow>(n);
  const hashes: string[] = new Array<string>(n);
  const offsets: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const at = rowsAt + i * ROW_BYTES;
    const recipient = m.recipients[plain.readUInt32LE(at + 16)];
    const provider = m.providers[plain.readUInt32LE(at + 20)];
    const dataset = m.datasets[plain.readUInt32LE(at + 24)];
    const kind = m.kinds[plain.readUInt8(at + 28)];
    const result = m.results[plain.readUInt8(at + 29)];
    const s = plain.readUInt8(at + 30);
    const subject = s === NO_SUBJECT ? null : subjects[s];
    if (!recipient || !provider || !dataset || !kind || !result || subject === undefined) return null;
    rows[i] = { seq: plain.readDoubleLE(at), time: times[i] as string, recorded_at: recorded[i] as string, kind, result, recipient, provider, dataset, subject };
    hashes[i] = hex.slice(i * 64, i * 64 + 64);
    offsets[i] = plain.readDoubleLE(at + 8);
  }
  return {
    fileId: Buffer.from(m.file_id, 'hex'),
    frames: m.frames,
    end: m.end,
    lastFrameHash: m.last_frame_hash === null ? null : Buffer.from(m.last_frame_hash, 'hex'),
    checkpoint: m.checkpoint,
    rows,
    hashes,
    offsets,
  };
}

function decodeSeal(key: Buffer, bytes: Buffer): Seal | 'outdated' | null {
  if (bytes.length < 8 + 12 + 16 || !bytes.subarray(0, 8).equals(MAGIC)) return null;
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(8, 20));
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    plain = Buffer.concat([decipher.update(bytes.subarray(20, bytes.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
  return sealOfPlaintext(plain);
}

export async function readSeal(path: string, key: Buffer): Promise<{ seal: Seal } | { problem: SealProblem }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: 'missing' };
    throw error;
  }
  if (bytes.length > MAX_SEAL_BYTES) return { problem: 'forged' };
  let seal: Seal | 'outdated' | null;
  try {
    seal = decodeSeal(key, bytes);
  } catch {
    seal = null;
  }
  if (seal === 'outdated') return { problem: 'outdated' };
  return seal ? { seal } : { problem: 'forged' };
}

export async function writeSeal(path: string, key: Buffer, seal: Seal): Promise<void> {
  await writeFileAtomic(nodeVaultFs, path, encodeSeal(key, seal));
}
