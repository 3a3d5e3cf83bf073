// PDF standard security handler, read-only: finds a PDF's /Encrypt dictionary and checks whether a password opens it as the user password (ISO 32000-1 §7.6.3 Algorithms 2, 4, 5, 6; ISO 32000-2 Algorithms 2.A, 2.B, 11).
//
// Why by hand rather than pdf.js: this only checks a password, it never decrypts content, so it needs the trailer,
// one dictionary and a few hashes; pdf.js in the main process would add a second PDF engine (and its Node shims)
// to the main bundle and to the `package:verify` command line. pdf-lib (already a dependency) parses the
// dictionaries; we do not load the document with it, because its loader tries to inflate encrypted object streams.
// Tests cross-check every answer against qpdf and pdf.js on files qpdf encrypted.
import { createCipheriv, createHash } from 'node:crypto';
import { PDFArray, PDFBool, PDFContext, PDFDict, PDFHexString, PDFName, PDFNumber, PDFObjectParser, PDFRef, PDFStream, PDFString, type PDFObject } from 'pdf-lib';
import { packageFailure, PackageErrorCode } from './errors.ts';

export type PdfCipher = 'RC4-40' | 'RC4-128' | 'AES-128' | 'AES-256' | 'none';

/** What a PDF's /Encrypt dictionary says, with the values the password check needs. */
export interface PdfEncryption {
  /** The security handler (/Filter): only /Standard can be opened with a password. */
  filter: string;
  v: number;
  r: number;
  /** Key length in bytes. */
  keyBytes: number;
  cipher: PdfCipher;
  encryptMetadata: boolean;
  o: Uint8Array;
  u: Uint8Array;
  p: number;
  /** First element of the trailer's /ID (used in the key for revisions 2–4). */
  id0: Uint8Array;
}

/** The 32-byte padding string of Algorithm 2 step (a). */
const PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08,
  0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

const latin1 = new TextDecoder('latin1');

/** True when the bytes start like a PDF (the header may follow up to 1 KiB of junk, as readers tolerate). */
export function looksLikePdf(head: Uint8Array): boolean {
  return latin1.decode(head.subarray(0, 1024)).includes('%PDF-');
}

function parseAt(bytes: Uint8Array, at: number): PDFObject {
  return PDFObjectParser.forBytes(bytes.subarray(at), PDFContext.create()).parseObject();
}

/** The trailer dictionary: at `startxref` (classic `trailer` or a cross-reference stream), else the last `trailer` in the file. */
function findTrailer(bytes: Uint8Array, text: string): PDFDict | null {
  const tryDict = (at: number): PDFDict | null => {
    try {
      const object = parseAt(bytes, at);
      if (object instanceof PDFDict) return object;
      if (object instanceof PDFStream) return object.dict;
    } catch {
      // Fall through to the next way of finding it.
    }
    return null;
  };
  const startxref = text.lastIndexOf('startxref');
  if (startxref >= 0) {
    const offset = Number(/^startxref\s+(\d+)/.exec(text.slice(startxref, startxref + 40))?.[1] ?? NaN);
    if (Number.isSafeInteger(offset) && offset < bytes.length) {
      const at = text.slice(offset, offset + 64);
      if (/^\s*xref/.test(at)) {
        const trailer = text.indexOf('trailer', offset);
        const dict = trailer >= 0 ? tryDict(trailer + 'trailer'.length) : null;
        if (dict !== null) return dict;
      } else {
        const header = /^\s*\d+\s+\d+\s+obj/.exec(at);
        const dict = header === null ? null : tryDict(offset + header[0].length);
        if (dict !== null && dict.get(PDFName.of('Root')) !== undefined) return dict;
      }
    }
  }
  const trailer = text.lastIndexOf('trailer');
  return trailer >= 0 ? tryDict(trailer + 'trailer'.length) : null;
}

/** An indirect object by number: the last definition in the file (an incremental update redefines it later). */
function findObject(bytes: Uint8Array, text: string, ref: PDFRef): PDFObject | null {
  const pattern = new RegExp(`(?<![0-9])${ref.objectNumber}\\s+${ref.generationNumber}\\s+obj\\b`, 'g');
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) last = m;
  if (last === null) return null;
  try {
    return parseAt(bytes, last.index + last[0].length);
  } catch {
    return null;
  }
}

function stringBytes(value: PDFObject | undefined): Uint8Array | null {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.asBytes();
  return null;
}

function numberOf(dict: PDFDict, key: string): number | undefined {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

function cipherOf(dict: PDFDict, v: number, keyBytes: number): PdfCipher {
  if (v === 1) return 'RC4-40';
  if (v === 2 || v === 3) return keyBytes <= 5 ? 'RC4-40' : 'RC4-128';
  if (v === 5) return 'AES-256';
  if (v === 4) {
    const cf = dict.get(PDFName.of('CF'));
    const stmf = dict.get(PDFName.of('StmF'));
    const name = stmf instanceof PDFName ? stmf : PDFName.of('Identity');
    if (name === PDFName.of('Identity') || !(cf instanceof PDFDict)) return 'none';
    const filter = cf.get(name);
    const cfm = filter instanceof PDFDict ? filter.get(PDFName.of('CFM')) : undefined;
    if (cfm === PDFName.of('AESV2')) return 'AES-128';
    if (cfm === PDFName.of('AESV3')) return 'AES-256';
    if (cfm === PDFName.of('V2')) return keyBytes <= 5 ? 'RC4-40' : 'RC4-128';
    return 'none';
  }
  return 'none';
}

/**
 * Reads the encryption dictionary of a PDF held in memory. Returns null when the PDF is not encrypted.
 * Throws PACKAGE_PDF_INVALID when the bytes are not a PDF or its encryption dictionary cannot be read.
 */
export function readPdfEncryption(bytes: Uint8Array, name = ''): PdfEncryption | null {
  if (!looksLikePdf(bytes)) throw packageFailure(PackageErrorCode.PDF_INVALID, name);
  const text = latin1.decode(bytes);
  const trailer = findTrailer(bytes, text);
  if (trailer === null) {
    if (text.includes('/Encrypt')) throw packageFailure(PackageErrorCode.PDF_INVALID, name);
    // No trailer found at all: a damaged PDF, but nothing says it is encrypted (viewers rebuild such files).
    return null;
  }
  const entry = trailer.get(PDFName.of('Encrypt'));
  if (entry === undefined) return null;
  const dict = entry instanceof PDFRef ? findObject(bytes, text, entry) : entry;
  if (!(dict instanceof PDFDict)) throw packageFailure(PackageErrorCode.PDF_INVALID, name);
  const filter = dict.get(PDFName.of('Filter'));
  const v = numberOf(dict, 'V') ?? 0;
  const r = numberOf(dict, 'R') ?? 0;
  const lengthBits = numberOf(dict, 'Length') ?? (v >= 4 ? 128 : 40);
  const keyBytes = r === 2 ? 5 : v >= 5 ? 32 : Math.min(16, Math.max(5, Math.floor(lengthBits / 8)));
  const ids = trailer.get(PDFName.of('ID'));
  const id0 = ids instanceof PDFArray ? stringBytes(ids.get(0)) : null;
  const o = stringBytes(dict.get(PDFName.of('O')));
  const u = stringBytes(dict.get(PDFName.of('U')));
  const p = numberOf(dict, 'P');
  const encryptMetadata = dict.get(PDFName.of('EncryptMetadata'));
  if (o === null || u === null || p === undefined) throw packageFailure(PackageErrorCode.PDF_INVALID, name);
  return {
    filter: filter instanceof PDFName ? filter.decodeText() : '',
    v,
    r,
    keyBytes,
    cipher: cipherOf(dict, v, keyBytes),
    encryptMetadata: !(encryptMetadata instanceof PDFBool) || encryptMetadata.asBoolean(),
    o,
    u,
    p,
    id0: id0 ?? new Uint8Array(0),
  };
}

/** Whether this handler and revision can be checked here (the standard handler, revisions 2 to 6). */
export function isSupportedPdfEncryption(encryption: PdfEncryption): boolean {
  return encryption.filter === 'Standard' && encryption.r >= 2 && encryption.r <= 6;
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  // Typed-array reads out of range are impossible here (indices are masked to 0–255); `?? 0` satisfies the checker.
  const at = (i: number): number => s[i] ?? 0;
  const swap = (i: number, j: number): void => {
    const t = at(i);
    s[i] = at(j);
    s[j] = t;
  };
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + at(i) + (key[i % key.length] ?? 0)) & 0xff;
    swap(i, j);
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + at(i)) & 0xff;
    swap(i, j);
    out[n] = (data[n] ?? 0) ^ at((at(i) + at(j)) & 0xff);
  }
  return out;
}

const md5 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

function equal(a: Uint8Array, b: Uint8Array, length: number): boolean {
  if (a.length < length || b.length < length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Algorithm 2: the file key from a password (revisions 2–4). */
function fileKey(encryption: PdfEncryption, password: Uint8Array): Uint8Array {
  const padded = new Uint8Array(32);
  padded.set(password.subarray(0, 32));
  padded.set(PAD.subarray(0, 32 - Math.min(32, password.length)), Math.min(32, password.length));
  const p = new Uint8Array(4);
  new DataView(p.buffer).setInt32(0, encryption.p, true);
  const tail = encryption.r >= 4 && !encryption.encryptMetadata ? Uint8Array.from([0xff, 0xff, 0xff, 0xff]) : new Uint8Array(0);
  let digest = md5(padded, encryption.o.subarray(0, 32), p, encryption.id0, tail);
  const n = encryption.keyBytes;
  if (encryption.r >= 3) for (let i = 0; i < 50; i++) digest = md5(digest.subarray(0, n));
  return digest.subarray(0, n);
}

/** Algorithm 2.B (revision 6): the iterated SHA-256/384/512 hash with AES-128-CBC rounds. */
function hash2B(password: Uint8Array, salt: Uint8Array, userKey: Uint8Array): Uint8Array {
  let k = new Uint8Array(createHash('sha256').update(password).update(salt).update(userKey).digest());
  for (let round = 0; ; round++) {
    const unit = new Uint8Array(password.length + k.length + userKey.length);
    unit.set(password);
    unit.set(k, password.length);
    unit.set(userKey, password.length + k.length);
    const k1 = new Uint8Array(unit.length * 64);
    for (let i = 0; i < 64; i++) k1.set(unit, i * unit.length);
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    const e = new Uint8Array(Buffer.concat([cipher.update(k1), cipher.final()]));
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i] ?? 0;
    const algorithm = ['sha256', 'sha384', 'sha512'][sum % 3] ?? 'sha256';
    k = new Uint8Array(createHash(algorithm).update(e).digest());
    // ISO 32000-2 counts rounds from 1: stop once 64 are done and the last byte of E is at most (rounds done − 32).
    if (round >= 63 && (e[e.length - 1] ?? 0) <= round + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/**
 * Whether `password` opens the PDF as its user password (Algorithm 6, and Algorithm 11 for AES-256).
 * The empty string tests whether the PDF opens without any password (an owner-password-only file).
 */
export function pdfUserPasswordOpens(encryption: PdfEncryption, password: string): boolean {
  if (!isSupportedPdfEncryption(encryption)) return false;
  if (encryption.r >= 5) {
    // UTF-8 (the SASLprep of an ASCII national ID is itself), at most 127 bytes.
    const pw = new TextEncoder().encode(password).subarray(0, 127);
    const salt = encryption.u.subarray(32, 40);
    if (encryption.u.length < 48) return false;
    const computed = encryption.r === 5
      ? new Uint8Array(createHash('sha256').update(pw).update(salt).digest())
      : hash2B(pw, salt, new Uint8Array(0));
    return equal(computed, encryption.u, 32);
  }
  // Revisions 2–4 take PDFDocEncoding bytes; a national ID is ASCII, so Latin-1 is exact.
  const pw = Uint8Array.from(password, (c) => c.charCodeAt(0) & 0xff);
  const key = fileKey(encryption, pw);
  if (encryption.r === 2) return equal(rc4(key, PAD), encryption.u, 32);
  let value = rc4(key, md5(PAD, encryption.id0));
  for (let i = 1; i <= 19; i++) value = rc4(key.map((b) => b ^ i), value);
  return equal(value, encryption.u, 16);
}
