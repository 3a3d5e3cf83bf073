// The records a history log holds, in chain order: each either read in full, or (before a sealed checkpoint) kept as
// the row the screen's index needs and its frame's place in the file, read from the file, authenticated and decrypted
// when shown (open then reads only the part of the file after the seal).
import { hash } from 'node:crypto';
import type { HistoryRecord } from '../../contract/history.ts';
import { FRAME_OVERHEAD, HEADER_SIZE, MAX_BODY, decryptFrameAt, TYPE_RECORD, type LogKeys } from './format.ts';

/** What the index, the filters and the charts need of a record; a full record is one too. */
export type RecordRow = Pick<HistoryRecord, 'seq' | 'time' | 'recorded_at' | 'kind' | 'result' | 'recipient' | 'provider' | 'dataset'> & {
  subject: Pick<NonNullable<HistoryRecord['subject']>, 'type'> | null;
};

/** The log file and keys a sealed record is read from; `read` fills `into` from `position` and returns the bytes read. */
export interface SealedSource {
  keys: LogKeys;
  fileId: Buffer;
  read(into: Buffer, position: number): number;
}

/** Room for a typical record's frame in one read; a larger one is read again at its size. */
const TYPICAL_FRAME = 4096;

/** Reads the frame at `offset` (with the previous frame's hash just before it) and authenticates it; null if it does not. */
function readFrame(src: SealedSource, offset: number, index: number): { type: number; plaintext: Buffer } | null {
  // The first frame chains to the genesis value; any other to the hash that ends the frame before it.
  const before = offset > HEADER_SIZE ? 32 : 0;
  let window = Buffer.allocUnsafe(before + TYPICAL_FRAME);
  let got = src.read(window, offset - before);
  if (got < before + 9) return null;
  const len = window.readUInt32BE(before + 5);
  if (len > MAX_BODY) return null;
  const need = before + FRAME_OVERHEAD + len;
  if (need > window.length) {
    window = Buffer.allocUnsafe(need);
    got = src.read(window, offset - before);
  }
  if (got < need) return null;
  const framed = window.subarray(0, need);
  return before === 0 ? decryptFrameAt(framed, src.keys, src.fileId, 0, index) : decryptFrameAt(framed, src.keys, src.fileId, before, index, framed.subarray(0, before));
}

/** Thrown when a sealed record does not authenticate or does not hash to its sealed chain hash. */
export class SealedRecordDamaged extends Error {
  readonly position: number;
  readonly offset: number;
  constructor(position: number, offset: number) {
    super(`record at offset ${String(offset)} does not verify`);
    this.position = position;
    this.offset = offset;
  }
}

export class RecordStore {
  private readonly rows: RecordRow[] = [];
  /** Full records by position; undefined while a sealed record has not been read. */
  private readonly full: (HistoryRecord | undefined)[] = [];
  /** Byte offset of each record's frame in the log file. */
  readonly offsets: number[] = [];
  /** Frame number of the first record (1 when a retention checkpoint is frame 0). */
  private readonly frameBase: number;
  private readonly source: SealedSource | null;
  private readonly hashAt: (pos: number) => string | undefined;

  constructor(frameBase = 0, source: SealedSource | null = null, hashAt: (pos: number) => string | undefined = () => undefined) {
    this.frameBase = frameBase;
    this.source = source;
    this.hashAt = hashAt;
  }

  get length(): number {
    return this.rows.length;
  }

  push(record: HistoryRecord, offset: number): void {
    this.rows.push(record);
    this.full.push(record);
    this.offsets.push(offset);
  }

  pushSealed(row: RecordRow, offset: number): void {
    this.rows.push(row);
    this.full.push(undefined);
    this.offsets.push(offset);
  }

  row(pos: number): RecordRow | undefined {
    return this.rows[pos];
  }

  allRows(): readonly RecordRow[] {
    return this.rows;
  }

  last(): RecordRow | undefined {
    return this.rows.at(-1);
  }

  /** The full record at `pos`; a sealed one is authenticated (AES-GCM) and checked against its chain hash first. */
  get(pos: number): HistoryRecord {
    const held = this.full[pos];
    if (held) return held;
    const offset = this.offsets[pos];
    const src = this.source;
    if (offset === undefined || src === null) throw new RangeError(`no record at ${String(pos)}`);
    const frame = readFrame(src, offset, this.frameBase + pos);
    if (!frame || frame.type !== TYPE_RECORD || frame.plaintext.length < 66 || hash('sha256', frame.plaintext, 'hex') !== this.hashAt(pos)) {
      throw new SealedRecordDamaged(pos, offset);
    }
    const record = JSON.parse(frame.plaintext.toString('utf8', 65)) as HistoryRecord;
    this.full[pos] = record;
    return record;
  }

  /** Every record, read in full (sealed ones authenticated as they are read). */
  all(from = 0, to = this.rows.length): HistoryRecord[] {
    const out: HistoryRecord[] = [];
    for (let i = from; i < to; i++) out.push(this.get(i));
    return out;
  }
}
