// The history log's on-disk format: a header, then frames (length + SHA-256 chain) around AES-256-GCM bodies.
//
//   header (96 bytes)  magic "MYDATA-HISTORY\0\x01" (16) | file id (16, random)
//                      | key check HMAC(macKey, "key-check" | magic | file id) (32) | SHA-256 of the 64 bytes before (32)
//   frame              marker "MDHR" (4) | type u8 (1 record, 2 checkpoint) | body length u32 BE (4)
//                      | body: nonce (12) | AES-256-GCM ciphertext | tag (16)
//                      | hash (32) = SHA-256(previous frame's hash | frame index u64 BE | type | length | body)
//   The first frame's "previous hash" is the genesis value (chain.ts GENESIS, as 32 bytes).
//   GCM's additional data = file id | previous frame's hash | frame index u64 BE | type: under the key, each body
//   is bound to its position and its predecessor, so a forger who recomputes the (unkeyed) frame hashes after
//   moving, dropping or inserting frames still fails authentication at the first frame they touched.
//
// A record body's plaintext is `prev` (64 hex) + "\n" + the record's canonical JSON: its SHA-256 is the public
// chain entry hash (chain.ts), so the export chain and the on-disk chain hash the same bytes. A checkpoint body
// (only ever frame 0, written by pruning) is the canonical JSON of a Checkpoint.
// Keys: encKey and macKey are HKDF-SHA256 of the caller's 32-byte key (info "history/enc", "history/mac"); the
// macKey only signs the header's key check. (A per-frame HMAC was measured as the largest cost of verifying
// 100k frames and adds nothing GCM with this additional data does not already give.)
import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, hash as oneShotHash, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { GENESIS } from './chain.ts';

export const MAGIC = Buffer.from('MYDATA-HISTORY\u0000\u0001', 'latin1');
export const HEADER_SIZE = 96;
export const FRAME_MARKER = Buffer.from('MDHR', 'latin1');
export const FRAME_OVERHEAD = 4 + 1 + 4 + 32;
const HASH_SIZE = 32;
/** No record comes near this; a larger declared length is damage, not a torn write. */
export const MAX_BODY = 1 << 20;
export const TYPE_RECORD = 1;
export const TYPE_CHECKPOINT = 2;
const GENESIS_BYTES = Buffer.from(GENESIS, 'hex');

/** KeyObjects, not raw buffers: Node imports a raw key on every cipher/HMAC, which made verifying 100k frames 4× slower. */
export interface LogKeys {
  enc: KeyObject;
  mac: KeyObject;
}

export function deriveLogKeys(key: Uint8Array): LogKeys {
  const k = Buffer.from(key);
  return {
    enc: createSecretKey(Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'history/enc', 32))),
    mac: createSecretKey(Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'history/mac', 32))),
  };
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  writeU64(b, n, 0);
  return b;
}

/**
 * A frame index as u64 big-endian, from two 32-bit halves: a BigInt per frame (twice per frame while scanning)
 * showed in profiles of 100k-frame scans. Indexes stay far below 2^53, where a number is exact.
 */
function writeU64(into: Buffer, n: number, at: number): void {
  into.writeUInt32BE(Math.floor(n / 0x1_0000_0000), at);
  into.writeUInt32BE(n >>> 0, at + 4);
}

/** GCM additional data; written into `into` when given (the scanner reuses one buffer: setAAD copies it). */
function aad(fileId: Buffer, prevHash: Buffer, index: number, type: number, into: Buffer = Buffer.alloc(57)): Buffer {
  fileId.copy(into, 0);
  prevHash.copy(into, 16);
  writeU64(into, index, 48);
  into.writeUInt8(type, 56);
  return into;
}

/** What pruning leaves at the start of the log: the pruned prefix's count and chain head. */
export interface Checkpoint {
  pruned_count: number;
  /** Chain hash of the last pruned record: the next record's `prev`. */
  head: string;
  /** recorded_at of the last pruned record. */
  pruned_until: string;
  created_at: string;
}

export function encodeHeader(keys: LogKeys, fileId: Buffer = randomBytes(16)): Buffer {
  const head = Buffer.concat([MAGIC, fileId, keyCheck(keys, fileId)]);
  return Buffer.concat([head, createHash('sha256').update(head).digest()]);
}

function keyCheck(keys: LogKeys, fileId: Buffer): Buffer {
  return createHmac('sha256', keys.mac).update('key-check').update(MAGIC).update(fileId).digest();
}

export type HeaderCheck = { ok: true; fileId: Buffer } | { ok: false; reason: 'not-a-log' | 'wrong-key' };

export function checkHeader(bytes: Buffer, keys: LogKeys): HeaderCheck {
  if (bytes.length < HEADER_SIZE || !bytes.subarray(0, 16).equals(MAGIC)) return { ok: false, reason: 'not-a-log' };
  const sum = createHash('sha256').update(bytes.subarray(0, 64)).digest();
  if (!sum.equals(bytes.subarray(64, 96))) return { ok: false, reason: 'not-a-log' };
  const fileId = Buffer.from(bytes.subarray(16, 32));
  if (!timingSafeEqual(keyCheck(keys, fileId), bytes.subarray(32, 64))) return { ok: false, reason: 'wrong-key' };
  return { ok: true, fileId };
}

function frameHash(prevHash: Buffer, index: number, typeAndLen: Buffer, body: Buffer): Buffer {
  return createHash('sha256').update(prevHash).update(u64(index)).update(typeAndLen).update(body).digest();
}

/** Encrypts and frames one body; returns the frame bytes and its hash (the next frame's "previous hash"). */
export function encodeFrame(
  keys: LogKeys,
  fileId: Buffer,
  prevHash: Buffer | null,
  index: number,
  type: number,
  plaintext: Buffer,
): { frame: Buffer; hash: Buffer } {
  const prev = prevHash ?? GENESIS_BYTES;
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.enc, nonce);
  cipher.setAAD(aad(fileId, prev, index, type));
  const body = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const typeAndLen = Buffer.alloc(5);
  typeAndLen.writeUInt8(type, 0);
  typeAndLen.writeUInt32BE(body.length, 1);
  const hash = frameHash(prev, index, typeAndLen, body);
  return { frame: Buffer.concat([FRAME_MARKER, typeAndLen, body, hash]), hash };
}

/** Decrypts the body at bytes[start, end): nonce (12) | ciphertext | tag (16). */
function decryptBody(keys: LogKeys, additional: Buffer, bytes: Buffer, start: number, end: number): Buffer | null {
  if (end - start < 28) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, bytes.subarray(start, start + 12));
    decipher.setAAD(additional);
    decipher.setAuthTag(bytes.subarray(end - 16, end));
    const plain = decipher.update(bytes.subarray(start + 12, end - 16));
    decipher.final(); // throws when the tag does not match; GCM yields no bytes here
    return plain;
  } catch {
    return null; // the GCM tag did not match: reported by the caller as a damaged body, with its position
  }
}

/** One frame as the scanner saw it. */
export interface ScannedFrame {
  index: number;
  offset: number;
  type: number;
  /** Frame hash matched the chain (position, previous frame, bytes). */
  hashOk: boolean;
  /** Decrypted body, or null when it did not authenticate. */
  plaintext: Buffer | null;
}

export interface FrameScan {
  /** Number of whole frames visited, and the last one's hash (the chain continues from it). */
  count: number;
  lastHash: Buffer | null;
  /** Offset just after the last whole frame. */
  end: number;
  /** A partial frame at the end of the file (an interrupted append); its offset and length. */
  torn: { offset: number; bytes: number } | null;
  /** Framing lost at this frame index/offset (bad marker or length): nothing after it can be read. */
  framingLost: { index: number; offset: number } | null;
}

/** Where a scan starts: after the header, or after a sealed frame (sealed-checkpoint.ts) whose hash it continues. */
export interface ScanStart {
  offset: number;
  index: number;
  /** The hash of the frame before `index` (null: the first frame, which chains to the genesis value). */
  prevHash: Buffer | null;
}

/** The body length of the frame at `offset` when its marker and length are sane and it fits in `bytes`; else null. */
export function frameBodyLength(bytes: Buffer, offset: number): number | null {
  if (offset + 9 > bytes.length || bytes.readUInt32BE(offset) !== FRAME_MARKER.readUInt32BE(0)) return null;
  const len = bytes.readUInt32BE(offset + 5);
  return len > MAX_BODY || offset + FRAME_OVERHEAD + len > bytes.length ? null : len;
}

/** The frame before `offset` ends with its hash: what the frame at `offset` chains to (GENESIS for the first). */
export function prevFrameHash(bytes: Buffer, offset: number): Buffer {
  return offset <= HEADER_SIZE ? GENESIS_BYTES : bytes.subarray(offset - HASH_SIZE, offset);
}

/**
 * Authenticates and decrypts the one frame at `offset` (frame number `index`, chaining to `prev`), for a record held
 * sealed and read when shown. Null when it does not authenticate.
 */
export function decryptFrameAt(
  bytes: Buffer,
  keys: LogKeys,
  fileId: Buffer,
  offset: number,
  index: number,
  prev: Buffer = prevFrameHash(bytes, offset),
): { type: number; plaintext: Buffer } | null {
  const len = frameBodyLength(bytes, offset);
  if (len === null) return null;
  const type = bytes.readUInt8(offset + 4);
  const plaintext = decryptBody(keys, aad(fileId, prev, index, type), bytes, offset + 9, offset + 9 + len);
  return plaintext === null ? null : { type, plaintext };
}

function allZero(buf: Buffer): boolean {
  for (const b of buf) if (b !== 0) return false;
  return true;
}

/**
 * Walks the frames after the header. A torn tail is a last frame that the file ends inside of (and after which no
 * other frame marker appears), or a zero-filled region at the end (a file extended but never written): both are
 * what an interrupted append leaves. Anything else that does not parse is reported as lost framing.
 */
export function scanFrames(
  bytes: Buffer,
  keys: LogKeys,
  fileId: Buffer,
  visit: (frame: ScannedFrame) => void,
  from: ScanStart = { offset: HEADER_SIZE, index: 0, prevHash: null },
): FrameScan {
  // Frames are handed to `visit` one at a time and not kept: holding 100k decrypted bodies made open GC-bound.
  // Hashes stay views into `bytes` while scanning; only the last one is copied out (keeping a view would pin the
  // whole file image in memory for as long as the log is open).
  let lastHash: Buffer | null = from.prevHash;
  const scratch = Buffer.alloc(57);
  // The frame hash's input (previous hash | index | type | length | body) is copied into one buffer and hashed in
  // one call: a Hash object per frame (and its digest Buffer) cost more than the hashing, mostly in GC.
  let hashInput = Buffer.alloc(40 + 5 + 4096);
  const marker = FRAME_MARKER.readUInt32BE(0);
  let offset = from.offset;
  let prevHash: Buffer = from.prevHash ?? GENESIS_BYTES;
  let index = from.index;
  const stop = (torn: boolean) => {
    const rest = bytes.subarray(offset);
    return {
      count: index,
      lastHash: lastHash && Buffer.from(lastHash),
      end: offset,
      torn: torn ? { offset, bytes: rest.length } : null,
      framingLost: torn ? null : { index, offset },
    };
  };
  const tornShape = () => {
    const rest = bytes.subarray(offset);
    return allZero(rest) || rest.indexOf(FRAME_MARKER, 1) === -1;
  };
  // Reads with offsets into `bytes` rather than a view per field: Buffer views cost as much as the hashing here.
  while (offset < bytes.length) {
    const restLength = bytes.length - offset;
    if (restLength < 9) return stop(tornShape());
    const type = bytes.readUInt8(offset + 4);
    const len = bytes.readUInt32BE(offset + 5);
    const sane = bytes.readUInt32BE(offset) === marker && (type === TYPE_RECORD || type === TYPE_CHECKPOINT) && len <= MAX_BODY;
    if (!sane || restLength < FRAME_OVERHEAD + len) {
      return stop(allZero(bytes.subarray(offset)) || (sane && tornShape()));
    }
    const hashAt = offset + 9 + len;
    if (hashInput.length < 45 + len) hashInput = Buffer.alloc(45 + len);
    prevHash.copy(hashInput, 0);
    writeU64(hashInput, index, 32);
    bytes.copy(hashInput, 40, offset + 4, hashAt);
    // Digest as 'binary' (latin1) text: one char per byte, compared with the stored bytes read the same way.
    const computed = oneShotHash('sha256', hashInput.subarray(0, 45 + len), 'binary');
    const hashOk = computed === bytes.toString('binary', hashAt, hashAt + HASH_SIZE);
    const frameEnd = hashAt + HASH_SIZE;
    const hash = bytes.subarray(hashAt, frameEnd);
    if (!hashOk && frameEnd === bytes.length && allZero(hash)) {
      // Extended but never fully written, then zero-filled by the file system: a torn append.
      return stop(true);
    }
    const plaintext = decryptBody(keys, aad(fileId, prevHash, index, type, scratch), bytes, offset + 9, hashAt);
    visit({ index, offset, type, hashOk, plaintext });
    prevHash = hash;
    lastHash = hash;
    offset = frameEnd;
    index++;
  }
  return { count: index, lastHash: lastHash && Buffer.from(lastHash), end: offset, torn: null, framingLost: null };
}
