// The official MyData website's unsigned downloads (ARCHITECTURE §6): a flat zip of PDF/CSV/JSON (maybe ZipCrypto with the national ID), ID-encrypted PDFs, counter-service zips; read defensively, verdict "unsigned".
import { createHash } from 'node:crypto';
import { isAscii, isUtf8 } from 'node:buffer';
import { basename } from 'node:path';
import { ZipReader } from '@zip.js/zip.js';
import { AppFailure } from '../../contract/errors.ts';
import { DEFAULT_LIMITS, ZipArchive, type Budget, type PackageLimits, type ZipFile } from './archive.ts';
import { displayName, isPackageFailure, packageFailure, PackageErrorCode } from './errors.ts';
import { isSupportedPdfEncryption, looksLikePdf, pdfUserPasswordOpens, readPdfEncryption, type PdfCipher } from './pdf-encryption.ts';
import { FileReader, readerFor, type PackageSource, type RandomReader } from './readers.ts';

export type WebsiteFileType = 'pdf' | 'csv' | 'json';
/** How a CSV or JSON file's text is encoded: UTF-8 with or without a byte-order mark, or Big5. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'big5';

export interface WebsiteFile {
  /** The name as stored in the zip (or the file's own name for a lone file). */
  name: string;
  type: WebsiteFileType;
  /** Bytes as received: for an encrypted PDF, the encrypted file (it is kept that way). */
  size: number;
  /** SHA-256 of those bytes, lower-case hex. */
  sha256: string;
  /** Needs the ID to be read: a ZipCrypto (or AES) zip entry, or a PDF with a user password. */
  encrypted: boolean;
  zipEncrypted: boolean;
  /** The PDF's cipher when it carries an /Encrypt dictionary (even one that opens without a password). */
  pdfCipher: PdfCipher | null;
  /** Every protection of this file opened with the ID given; false when none needed it or no ID was given. */
  openedWithId: boolean;
  /** CSV and JSON only; null when the text is neither UTF-8 nor Big5 (the bytes are kept as they are). */
  encoding: TextEncoding | null;
}

/** What a download's own name tells (the website names it `<resource_name><yyyyMMddHHmmss>.zip`, the counter `<resource_name>.zip`). */
export interface DownloadNameHints {
  /** The dataset name the file is named after, when it looks like one; null for generated names. */
  resourceName: string | null;
  /** The website's download stamp (Taipei local time, yyyyMMddHHmmss), when present. */
  stamp: string | null;
  /** `website` with a stamp, `counter` for a bare dataset name, `unknown` otherwise. */
  looksLike: 'website' | 'counter' | 'unknown';
}

export interface WebsiteDownload {
  /** Never "verified": nothing in such a download is signed by its provider. */
  verdict: 'unsigned';
  kind: 'zip' | WebsiteFileType;
  fileName: string | null;
  hints: DownloadNameHints;
  size: number;
  /** SHA-256 of the whole file as received: the integrity reference from the import on. */
  sha256: string;
  files: WebsiteFile[];
  /** Encrypted files not opened (no ID was given): listed, never read as plain text. */
  unopened: number;
  read_at: string;
}

/** One file about to be streamed to a sink: the bytes as received (an encrypted PDF stays encrypted). */
export interface WebsiteFileInfo {
  name: string;
  type: WebsiteFileType;
  size: number;
}

/**
 * Receives each file's bytes during the single reading pass. The stream is closed when the file was read and
 * checked, aborted otherwise. Content is PROVISIONAL until readWebsiteDownload resolves; on a refusal the
 * consumer discards everything it received.
 */
export type WebsiteSink = (file: WebsiteFileInfo) => WritableStream<Uint8Array> | Promise<WritableStream<Uint8Array>>;

export interface WebsiteReadOptions {
  /** The national ID: zip password and PDF user password. Used for this call only, never stored. */
  id?: string | undefined;
  /** The name the file arrived under (for bytes or a reader; a path gives its own). */
  fileName?: string | undefined;
  limits?: Partial<PackageLimits>;
  /** Largest PDF held in memory to check its encryption (default 256 MiB). */
  maxPdfBytes?: number;
  signal?: AbortSignal | undefined;
  sink?: WebsiteSink | undefined;
  now?: () => Date;
}

export type DownloadLayout = 'signed-package' | 'website-zip' | WebsiteFileType | 'unknown';

const TYPES: Readonly<Record<string, WebsiteFileType>> = { pdf: 'pdf', csv: 'csv', json: 'json' };
const HASH_CHUNK = 1024 ** 2;

function typeOf(name: string): WebsiteFileType | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? null;
}

/** The ID as the website sets it: trimmed, letters upper-case (the portal uses the ID "first letter upper-case"). */
export function normaliseId(id: string | undefined): string | undefined {
  const trimmed = id?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed.toUpperCase();
}

/** Reads the dataset name and stamp from a download's name. */
export function nameHints(fileName: string | null): DownloadNameHints {
  if (fileName === null) return { resourceName: null, stamp: null, looksLike: 'unknown' };
  const base = basename(fileName.replace(/\\/g, '/')).replace(/\.(zip|pdf|csv|json)$/i, '').normalize('NFC');
  // Browsers add " (1)" or "(1)" to a second copy of the same name.
  const clean = base.replace(/\s*\(\d+\)$/, '');
  const stamped = /^(.*?)(\d{14})$/.exec(clean);
  const generated = (name: string) => name === '' || /^download[0-9a-f-]{8,}$/i.test(name) || /^[0-9A-Za-z*_-]+$/.test(name);
  if (stamped !== null) {
    const name = (stamped[1] ?? '').trim();
    return { resourceName: generated(name) ? null : name, stamp: stamped[2] ?? null, looksLike: generated(name) ? 'unknown' : 'website' };
  }
  if (generated(clean)) return { resourceName: null, stamp: null, looksLike: 'unknown' };
  return { resourceName: clean, stamp: null, looksLike: 'counter' };
}

async function head(reader: RandomReader, length: number): Promise<Uint8Array> {
  return reader.readUint8Array(0, Math.min(length, reader.size));
}

function isZipHead(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** A provider's signed files (META-INFO, either separator) or nested parts mean the signed package layout. */
function isSignedName(name: string): boolean {
  return /^META-INFO[/\\]/i.test(name) || /\.zip$/i.test(name);
}

/**
 * Which reader a file needs, from its first bytes and (for a zip) the names in its central directory; no entry
 * data is read, so this needs no ID. `unknown` is refused by both readers.
 */
export async function detectLayout(source: PackageSource, fileName?: string): Promise<DownloadLayout> {
  const reader = await openReader(source);
  try {
    const first = await head(reader, 1024);
    if (isZipHead(first)) {
      const zip = new ZipReader(reader, { useWebWorkers: false, filenameValidation: 'tolerant', strictness: 'tolerant' });
      try {
        const entries = await zip.getEntries();
        return entries.some((e) => isSignedName(e.filename)) ? 'signed-package' : 'website-zip';
      } catch {
        return 'unknown';
      } finally {
        await zip.close().catch(() => undefined);
      }
    }
    if (looksLikePdf(first)) return 'pdf';
    const name = fileName ?? (typeof source === 'string' ? source : '');
    const type = typeOf(name);
    return type === 'csv' || type === 'json' ? type : 'unknown';
  } finally {
    if (reader instanceof FileReader) await reader.close();
  }
}

async function openReader(source: PackageSource): Promise<RandomReader> {
  try {
    return await readerFor(source);
  } catch (error) {
    throw packageFailure(PackageErrorCode.READ_FAILED, (error as NodeJS.ErrnoException).code ?? 'unreadable', error);
  }
}

/** SHA-256 of the whole source, read in chunks through its reader. */
async function wholeDigest(reader: RandomReader, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < reader.size; ) {
    if (signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED);
    const chunk = await reader.readUint8Array(at, Math.min(HASH_CHUNK, reader.size - at));
    if (chunk.length === 0) throw packageFailure(PackageErrorCode.TRUNCATED, 'file');
    hash.update(chunk);
    at += chunk.length;
  }
  return hash.digest('hex');
}

/** Streams UTF-8 and Big5 validation side by side; the first that survives the whole text wins (UTF-8 first). */
/**
 * Finds whether streamed text is UTF-8 (with or without a BOM) or else Big5. UTF-8 is checked natively (isUtf8),
 * holding back a character cut by a chunk boundary; Big5 is decoded only where it could fail: a chunk of ASCII is
 * valid Big5 after its first byte (which may complete a lead byte left by the chunk before), so only that byte is
 * fed. Decoding every chunk twice was most of an import's time spent outside decryption (import bench).
 */
class EncodingProbe {
  #utf8 = true;
  /** The start of a UTF-8 character whose remaining bytes are in the next chunk. */
  #carry: Uint8Array = new Uint8Array(0);
  #big5: TextDecoder | null = new TextDecoder('big5', { fatal: true });
  #head: Uint8Array = new Uint8Array(0);
  #bom = false;
  update(chunk: Uint8Array): void {
    if (this.#head.length < 3) {
      // The first three bytes decide the BOM, however the text was cut into chunks.
      this.#head = Uint8Array.from([...this.#head, ...chunk.subarray(0, 3 - this.#head.length)]);
      this.#bom = this.#head.length === 3 && this.#head[0] === 0xef && this.#head[1] === 0xbb && this.#head[2] === 0xbf;
      if (this.#bom) this.#big5 = null;
    }
    if (this.#utf8) this.#utf8 = this.#utf8Chunk(chunk);
    this.#big5 = this.#try(this.#big5, isAscii(chunk) ? chunk.subarray(0, 1) : chunk);
  }
  #utf8Chunk(chunk: Uint8Array): boolean {
    const bytes = this.#carry.length === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    let cut = bytes.length;
    for (let back = 1; back <= Math.min(3, bytes.length); back++) {
      const b = bytes[bytes.length - back] ?? 0;
      if ((b & 0xc0) === 0x80) continue;
      // A lead byte whose sequence is longer than what follows it: its rest is in the next chunk (or missing).
      if (b >= 0xc0 && (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > back) cut = bytes.length - back;
      break;
    }
    // Copied: callers may reuse the chunk's memory.
    this.#carry = Uint8Array.from(bytes.subarray(cut));
    return isUtf8(bytes.subarray(0, cut));
  }
  #try(decoder: TextDecoder | null, chunk: Uint8Array | null): TextDecoder | null {
    if (decoder === null) return null;
    try {
      if (chunk === null) decoder.decode();
      else decoder.decode(chunk, { stream: true });
      return decoder;
    } catch {
      return null;
    }
  }
  result(): TextEncoding | null {
    // A character cut off at the very end is not UTF-8.
    if (this.#utf8 && this.#carry.length === 0) return this.#bom ? 'utf-8-bom' : 'utf-8';
    this.#big5 = this.#try(this.#big5, null);
    return this.#big5 !== null ? 'big5' : null;
  }
}

/** Decodes CSV or JSON text with the encoding the reader found (a BOM is dropped; Big5 decoded, never guessed as Latin-1). */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding === 'big5' ? 'big5' : 'utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** Detects the encoding of CSV or JSON bytes held in memory (whole, or in the chunks they arrived in). */
export function detectTextEncoding(bytes: Uint8Array | readonly Uint8Array[]): TextEncoding | null {
  const probe = new EncodingProbe();
  for (const chunk of bytes instanceof Uint8Array ? [bytes] : bytes) probe.update(chunk);
  return probe.result();
}

interface Reading {
  id: string | undefined;
  maxPdfBytes: number;
  signal: AbortSignal | undefined;
  sink: WebsiteSink | undefined;
}

/** Checks a whole PDF's encryption against the ID; refuses a wrong ID or an encryption that cannot be checked. */
function checkPdf(bytes: Uint8Array, shown: string, id: string | undefined): Pick<WebsiteFile, 'encrypted' | 'pdfCipher' | 'openedWithId'> {
  const encryption = readPdfEncryption(bytes, shown);
  if (encryption === null) return { encrypted: false, pdfCipher: null, openedWithId: false };
  if (!isSupportedPdfEncryption(encryption)) throw packageFailure(PackageErrorCode.PDF_ENCRYPTION_UNSUPPORTED, shown);
  // An owner-password-only PDF opens for anyone: encrypted on disk, but the ID is not what protects it.
  if (pdfUserPasswordOpens(encryption, '')) return { encrypted: false, pdfCipher: encryption.cipher, openedWithId: false };
  if (id === undefined) return { encrypted: true, pdfCipher: encryption.cipher, openedWithId: false };
  if (!pdfUserPasswordOpens(encryption, id)) throw packageFailure(PackageErrorCode.WRONG_ID, shown);
  return { encrypted: true, pdfCipher: encryption.cipher, openedWithId: true };
}

/** Reads one file (a zip entry, or the lone file) through hash, encoding probe, PDF check and sink. */
async function readOne(
  run: Reading,
  info: WebsiteFileInfo,
  shown: string,
  zipEncrypted: boolean,
  pipe: (onChunk: (chunk: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<WebsiteFile> {
  if (info.type === 'pdf' && info.size > run.maxPdfBytes) throw packageFailure(PackageErrorCode.FILE_TOO_LARGE, shown);
  const hash = createHash('sha256');
  const probe = info.type === 'pdf' ? null : new EncodingProbe();
  const pdf = info.type === 'pdf' ? new Uint8Array(info.size) : null;
  let at = 0;
  const writer = run.sink === undefined ? null : (await run.sink(info)).getWriter();
  try {
    await pipe(async (chunk) => {
      if (run.signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED);
      hash.update(chunk);
      probe?.update(chunk);
      pdf?.set(chunk, at);
      at += chunk.length;
      if (writer !== null) await writer.write(chunk);
    });
    if (at !== info.size) throw packageFailure(PackageErrorCode.SIZE_MISMATCH, shown);
    const pdfCheck = pdf === null ? { encrypted: false, pdfCipher: null, openedWithId: false } : checkPdf(pdf, shown, run.id);
    await writer?.close();
    return {
      name: info.name,
      type: info.type,
      size: info.size,
      sha256: hash.digest('hex'),
      encrypted: zipEncrypted || pdfCheck.encrypted,
      zipEncrypted,
      pdfCipher: pdfCheck.pdfCipher,
      // A zip entry that decrypted opened with the ID; a PDF inside it must open with the ID too.
      openedWithId: (zipEncrypted || pdfCheck.encrypted) && (!pdfCheck.encrypted || pdfCheck.openedWithId),
      encoding: probe?.result() ?? null,
    };
  } catch (error) {
    await writer?.abort(error).catch(() => undefined);
    throw error;
  }
}

function summary(kind: WebsiteDownload['kind'], fileName: string | null, size: number, sha256: string, files: WebsiteFile[], at: Date): WebsiteDownload {
  return {
    verdict: 'unsigned',
    kind,
    fileName,
    hints: nameHints(fileName),
    size,
    sha256,
    files,
    unopened: files.filter((f) => f.encrypted && !f.openedWithId).length,
    read_at: at.toISOString(),
  };
}

/**
 * Reads an official-website download: a flat zip of PDF/CSV/JSON files (ZipCrypto with the ID or not), or a lone
 * PDF/CSV/JSON file. Hostile archives are refused as in signed packages (archive.ts); a signed layout, a sub-folder
 * or another file type is refused with a named code; a ZipCrypto zip needs the ID (PACKAGE_PASSWORD_REQUIRED);
 * an ID that does not open a member is PACKAGE_WRONG_ID. Without an ID, encrypted PDFs are listed unopened.
 * With `sink`, each file's bytes as received are streamed to it in the same pass. Nothing is written to disk.
 */
export async function readWebsiteDownload(source: PackageSource, options: WebsiteReadOptions = {}): Promise<WebsiteDownload> {
  const limits: PackageLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const at = (options.now ?? (() => new Date()))();
  const fileName = options.fileName ?? (typeof source === 'string' ? basename(source) : null);
  const run: Reading = { id: normaliseId(options.id), maxPdfBytes: options.maxPdfBytes ?? 256 * 1024 ** 2, signal: options.signal, sink: options.sink };
  if (options.signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED);
  const reader = await openReader(source);
  try {
    const first = await head(reader, 1024);
    // The whole file's digest is taken after the contents were read, so a refusal (no ID, hostile name) comes first.
    if (isZipHead(first)) {
      const files = await readZip(reader, run, limits);
      return summary('zip', fileName, reader.size, await wholeDigest(reader, options.signal), files, at);
    }
    const type = looksLikePdf(first) ? 'pdf' : typeOf(fileName ?? '');
    if (type === null || (type === 'pdf' && !looksLikePdf(first))) {
      throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, displayName(fileName ?? 'file'));
    }
    const shown = displayName(fileName ?? `file.${type}`);
    const file = await readOne(run, { name: fileName ?? `file.${type}`, type, size: reader.size }, shown, false, async (onChunk) => {
      for (let offset = 0; offset < reader.size; ) {
        const chunk = await reader.readUint8Array(offset, Math.min(HASH_CHUNK, reader.size - offset));
        if (chunk.length === 0) throw packageFailure(PackageErrorCode.TRUNCATED, shown);
        offset += chunk.length;
        await onChunk(chunk);
      }
    });
    if (type === 'json' && file.encoding === null) throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, shown);
    return summary(type, fileName, reader.size, file.sha256, [file], at);
  } finally {
    if (reader instanceof FileReader) await reader.close();
  }
}

async function readZip(reader: RandomReader, run: Reading, limits: PackageLimits): Promise<WebsiteFile[]> {
  const budget: Budget = { entries: 0, nestedBytes: 0 };
  const archive = await ZipArchive.open(reader, { limits, budget, password: run.id, label: '', depth: 0, signal: run.signal, checkCrc32: true });
  try {
    // Decide on the layout from the names alone, before any entry is read.
    const signed = archive.files.find((f) => isSignedName(f.name));
    if (signed !== undefined) throw packageFailure(PackageErrorCode.SIGNED_LAYOUT, archive.shown(signed.name));
    const nested = archive.files.find((f) => f.name.includes('/'));
    if (nested !== undefined) throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, archive.shown(nested.name));
    const foreign = archive.files.find((f) => typeOf(f.name) === null);
    if (foreign !== undefined) throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, archive.shown(foreign.name));
    if (archive.files.length === 0) throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, 'empty');
    const files: WebsiteFile[] = [];
    for (const file of archive.files) files.push(await readEntry(archive, file, run));
    return files;
  } finally {
    await archive.close();
  }
}

async function readEntry(archive: ZipArchive, file: ZipFile, run: Reading): Promise<WebsiteFile> {
  const type = typeOf(file.name) as WebsiteFileType;
  const shown = archive.shown(file.name);
  try {
    const read = await readOne(run, { name: file.name, type, size: file.size }, shown, file.encrypted, (onChunk) => archive.pipe(file, onChunk));
    if (type === 'json' && read.encoding === null) throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, shown);
    return read;
  } catch (error) {
    // The zip's own password check (and ZipCrypto's garbage on a wrong key) means the ID did not open it.
    if (isPackageFailure(error, PackageErrorCode.WRONG_PASSWORD)) throw packageFailure(PackageErrorCode.WRONG_ID, shown, error);
    if (error instanceof AppFailure) throw error;
    throw packageFailure(PackageErrorCode.READ_FAILED, shown, error);
  }
}
