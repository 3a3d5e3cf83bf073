// The history log's on-disk format: a header, then frames (length + HMAC chain) around AES-256-GCM bodies.
//
//   header (96 bytes)  magic "MYDATA-HISTORY\0\x01" (16) | file id (16, random)
//                      | key check HMAC(macKey, "key-check" | magic | file id) (32) | SHA-256 of the 64 bytes before (32)
//   frame              marker "MDHR" (4) | type u8 (1 record, 2 checkpoint) | body length u32 BE (4)
//                      | body: nonce (12) | AES-256-GCM ciphertext | tag (16), AAD = file id | type
//                      | mac (32) = HMAC-SHA256(macKey, file id | previous frame's mac | frame index u64 BE | type | length | body)
//   first frame's "previous mac" is the genesis value (chain.ts GENESIS, as 32 bytes).
//
// A record body's plaintext is `prev` (64 hex) + "\n" + the record's canonical JSON: its SHA-256 is the public
// chain entry hash (chain.ts), so the export chain and the on-disk chain hash the same bytes. A checkpoint body
// (only ever frame 0, written by pruning) is the canonical JSON of a Checkpoint.
// Keys: encKey and macKey are HKDF-SHA256 of the caller's 32-byte key (info "history/enc", "history/mac").
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { GENESIS } from './chain.ts';

export const MAGIC = Buffer.from('MYDATA-HISTORY\u0000\u0001', 'latin1');
export const HEADER_SIZE = 96;
export const FRAME_MARKER = Buffer.from('MDHR', 'latin1');
export const FRAME_OVERHEAD = 4 + 1 + 4 + 32;
/** No record comes near this; a larger declared length is damage, not a torn write. */
export const MAX_BODY = 1 << 20;
export const TYPE_RECORD = 1;
export const TYPE_CHECKPOINT = 2;
const GENESIS_BYTES = Buffer.from(GENESIS, 'hex');

export interface LogKeys {
  enc: Buffer;
  mac: Buffer;
}

export function deriveLogKeys(key: Uint8Array): LogKeys {
  const k = Buffer.from(key);
  return {
    enc: Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'history/enc', 32)),
    mac: Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'history/mac', 32)),
  };
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

function frameMac(keys: LogKeys, fileId: Buffer, prevMac: Buffer, index: number, typeAndLen: Buffer, body: Buffer): Buffer {
  const idx = Buffer.alloc(8);
  idx.writeBigUInt64BE(BigInt(index));
  return createHmac('sha256', keys.mac).update(fileId).update(prevMac).update(idx).update(typeAndLen).update(body).digest();
}

/** Encrypts and frames one body; returns the frame bytes and its mac (the next frame's "previous mac"). */
export function encodeFrame(
  keys: LogKeys,
  fileId: Buffer,
  prevMac: Buffer | null,
  index: number,
  type: number,
  plaintext: Buffer,
): { frame: Buffer; mac: Buffer } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.enc, nonce);
  cipher.setAAD(Buffer.concat([fileId, Buffer.of(type)]));
  const body = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const typeAndLen = Buffer.alloc(5);
  typeAndLen.writeUInt8(type, 0);
  typeAndLen.writeUInt32BE(body.length, 1);
  const mac = frameMac(keys, fileId, prevMac ?? GENESIS_BYTES, index, typeAndLen, body);
  return { frame: Buffer.concat([FRAME_MARKER, typeAndLen, body, mac]), mac };
}

function decryptBody(keys: LogKeys, fileId: Buffer, type: number, body: Buffer): Buffer | null {
  if (body.length < 28) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, body.subarray(0, 12));
    decipher.setAAD(Buffer.concat([fileId, Buffer.of(type)]));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
  } catch {
    return null; // the GCM tag did not match: reported by the caller as a damaged body, with its position
  }
}

/** One frame as the scanner saw it. */
export interface ScannedFrame {
  index: number;
  offset: number;
  type: number;
  /** Frame mac matched the chain (position, previous frame, bytes). */
  macOk: boolean;
  /** Decrypted body, or null when it did not authenticate. */
  plaintext: Buffer | null;
  mac: Buffer;
}

export interface FrameScan {
  frames: ScannedFrame[];
  /** Offset just after the last whole frame. */
  end: number;
  /** A partial frame at the end of the file (an interrupted append); its offset and length. */
  torn: { offset: number; bytes: number } | null;
  /** Framing lost at this frame index/offset (bad marker or length): nothing after it can be read. */
  framingLost: { index: number; offset: number } | null;
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
export function scanFrames(bytes: Buffer, keys: LogKeys, fileId: Buffer): FrameScan {
  const frames: ScannedFrame[] = [];
  let offset = HEADER_SIZE;
  let prevMac = GENESIS_BYTES;
  let index = 0;
  while (offset < bytes.length) {
    const rest = bytes.subarray(offset);
    const isTornShape = () => allZero(rest) || rest.indexOf(FRAME_MARKER, 1) === -1;
    if (rest.length < 9) {
      if (isTornShape()) return { frames, end: offset, torn: { offset, bytes: rest.length }, framingLost: null };
      return { frames, end: offset, torn: null, framingLost: { index, offset } };
    }
    const type = rest.readUInt8(4);
    const len = rest.readUInt32BE(5);
    const sane = rest.subarray(0, 4).equals(FRAME_MARKER) && (type === TYPE_RECORD || type === TYPE_CHECKPOINT) && len <= MAX_BODY;
    if (!sane || rest.length < FRAME_OVERHEAD + len) {
      if (allZero(rest) || (sane && isTornShape())) return { frames, end: offset, torn: { offset, bytes: rest.length }, framingLost: null };
      return { frames, end: offset, torn: null, framingLost: { index, offset } };
    }
    const typeAndLen = rest.subarray(4, 9);
    const body = rest.subarray(9, 9 + len);
    const mac = Buffer.from(rest.subarray(9 + len, 9 + len + 32));
    const macOk = timingSafeEqual(frameMac(keys, fileId, prevMac, index, typeAndLen, body), mac);
    const frameEnd = offset + FRAME_OVERHEAD + len;
    if (!macOk && frameEnd === bytes.length && allZero(mac)) {
      // Extended but never fully written, then zero-filled by the file system: a torn append.
      return { frames, end: offset, torn: { offset, bytes: rest.length }, framingLost: null };
    }
    frames.push({ index, offset, type, macOk, plaintext: decryptBody(keys, fileId, type, Buffer.from(body)), mac });
    prevMac = mac;
    offset = frameEnd;
    index++;
  }
  return { frames, end: offset, torn: null, framingLost: null };
}
