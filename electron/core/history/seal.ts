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
//   file  "MDSEAL01" (8) | nonce (12) | AES-256-GCM(JSON) | tag (16); additional data = "MDSEAL01"
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { HistoryRecord } from '../../contract/history.ts';
import { nodeVaultFs, writeFileAtomic } from '../vault/fsio.ts';
import { hkdf } from '../vault/keys.ts';
import { canonicalJson } from './chain.ts';
import type { Checkpoint } from './format.ts';
import type { RecordRow } from './records.ts';

export const SEAL_FILE = 'history.seal';
const MAGIC = Buffer.from('MDSEAL01', 'latin1');
/** Far above any real seal (100k records seal into about 15 MB); a larger file is refused unread. */
const MAX_SEAL_BYTES = 512 * 1024 * 1024;

type Row = [seq: number, time: string, recordedAt: string, kind: string, result: string, recipient: number, provider: number, dataset: number, subject: string | null, offset: number];

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

export type SealProblem = 'missing' | 'forged';

export function sealKey(historyKey: Uint8Array): Buffer {
  return hkdf(historyKey, new Uint8Array(0), 'mydata-desktop/v1/history/seal');
}

function intern<T>(list: T[], seen: Map<string, number>, value: T): number {
  const key = canonicalJson(value);
  let at = seen.get(key);
  if (at === undefined) {
    at = list.length;
    list.push(value);
    seen.set(key, at);
  }
  return at;
}

export function encodeSeal(key: Buffer, seal: Seal): Buffer {
  const recipients: HistoryRecord['recipient'][] = [];
  const providers: HistoryRecord['provider'][] = [];
  const datasets: HistoryRecord['dataset'][] = [];
  const seen = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()] as const;
  const rows: Row[] = seal.rows.map((r, i) => [
    r.seq,
    r.time,
    r.recorded_at,
    r.kind,
    r.result,
    intern(recipients, seen[0], r.recipient),
    intern(providers, seen[1], { id: r.provider.id, name: r.provider.name }),
    intern(datasets, seen[2], { id: r.dataset.id, name: r.dataset.name }),
    r.subject?.type ?? null,
    seal.offsets[i] ?? -1,
  ]);
  const json = JSON.stringify({
    v: 1,
    file_id: seal.fileId.toString('hex'),
    frames: seal.frames,
    end: seal.end,
    last_frame_hash: seal.lastFrameHash?.toString('hex') ?? null,
    checkpoint: seal.checkpoint,
    recipients,
    providers,
    datasets,
    rows,
    hashes: seal.hashes.join(''),
  });
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  return Buffer.concat([MAGIC, nonce, body, cipher.getAuthTag()]);
}

function decodeSeal(key: Buffer, bytes: Buffer): Seal | null {
  if (bytes.length < 8 + 12 + 16 || !bytes.subarray(0, 8).equals(MAGIC)) return null;
  let json: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(8, 20));
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    json = Buffer.concat([decipher.update(bytes.subarray(20, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
  // Only the key holder writes seals, so the shape is checked for a future version's seal, not for hostility.
  const v = JSON.parse(json) as {
    v: number;
    file_id: string;
    frames: number;
    end: number;
    last_frame_hash: string | null;
    checkpoint: Checkpoint | null;
    recipients: HistoryRecord['recipient'][];
    providers: HistoryRecord['provider'][];
    datasets: HistoryRecord['dataset'][];
    rows: Row[];
    hashes: string;
  };
  if (v.v !== 1 || !Array.isArray(v.rows) || v.hashes.length !== v.rows.length * 64) return null;
  const rows: RecordRow[] = new Array<RecordRow>(v.rows.length);
  const hashes: string[] = new Array<string>(v.rows.length);
  const offsets: number[] = new Array<number>(v.rows.length);
  for (let i = 0; i < v.rows.length; i++) {
    const [seq, time, recordedAt, kind, result, recipient, provider, dataset, subject, offset] = v.rows[i] as Row;
    const r = v.recipients[recipient];
    const p = v.providers[provider];
    const d = v.datasets[dataset];
    if (!r || !p || !d) return null;
    rows[i] = {
      seq,
      time,
      recorded_at: recordedAt,
      kind: kind as RecordRow['kind'],
      result: result as RecordRow['result'],
      recipient: r,
      provider: p,
      dataset: d,
      subject: subject === null ? null : { type: subject as NonNullable<RecordRow['subject']>['type'] },
    };
    hashes[i] = v.hashes.slice(i * 64, i * 64 + 64);
    offsets[i] = offset;
  }
  return {
    fileId: Buffer.from(v.file_id, 'hex'),
    frames: v.frames,
    end: v.end,
    lastFrameHash: v.last_frame_hash === null ? null : Buffer.from(v.last_frame_hash, 'hex'),
    checkpoint: v.checkpoint,
    rows,
    hashes,
    offsets,
  };
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
  let seal: Seal | null;
  try {
    seal = decodeSeal(key, bytes);
  } catch {
    seal = null;
  }
  return seal ? { seal } : { problem: 'forged' };
}

export async function writeSeal(path: string, key: Buffer, seal: Seal): Promise<void> {
  await writeFileAtomic(nodeVaultFs, path, encodeSeal(key, seal));
}
