// A defended zip archive over zip.js: refuses every hostile structure of ARCHITECTURE §6 with a named code, then streams entries under limits.
// It stays one file (the ZipCrypto cipher aside) so that the order of the checks, from the central directory to each
// entry's stream under its limits, can be read and reviewed in one place.
import {
  ERR_AMBIGUOUS_ARCHIVE,
  ERR_BAD_FORMAT,
  ERR_CENTRAL_DIRECTORY_NOT_FOUND,
  ERR_ENCRYPTED,
  ERR_ENTRY_DATA_OUT_OF_BOUNDS,
  ERR_EOCDR_LOCATOR_ZIP64_NOT_FOUND,
  ERR_EOCDR_NOT_FOUND,
  ERR_INVALID_COMPRESSED_DATA,
  ERR_INVALID_CRC32,
  ERR_INVALID_PASSWORD,
  ERR_INVALID_UNCOMPRESSED_SIZE,
  ERR_LOCAL_FILE_HEADER_NOT_FOUND,
  ERR_OVERLAPPING_ENTRY,
  ERR_SPLIT_ZIP_FILE,
  ERR_UNSUPPORTED_COMPRESSION,
  ERR_UNSUPPORTED_ENCRYPTION,
  Uint8ArrayReader,
  ZipReader,
  type Entry,
  type FileEntry,
} from '@zip.js/zip.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { AppFailure } from '../../contract/errors.ts';
import { displayName, packageFailure, PackageErrorCode } from './errors.ts';
import { findDuplicateName, unsafeNameReason } from './names.ts';
import { RestreamReader, SliceReader, type RandomReader } from './readers.ts';
import { ZipCryptoDecipher } from './zipcrypto.ts';

/** Bounds on what one package may make the verifier read; every one is configurable. */
export interface PackageLimits {
  /** Entries across the whole package (outer archive plus every provider part), directories included. */
  maxEntries: number;
  /** Declared uncompressed bytes: of the outer archive's entries, and separately of all provider parts' entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed:compressed ratio of one entry, once it is bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Largest manifest, signature or certificate (these are held in memory). */
  maxMetaFileBytes: number;
  /** Tail of a compressed nested zip kept in memory to read its central directory from. */
  nestedTailBytes: number;
  /**
   * A compressed or encrypted provider part up to this size is expanded once into memory (one pass);
   * a bigger one is re-streamed instead (memory stays flat, the part is decrypted and inflated twice).
   */
  maxBufferedPartBytes: number;
}

export const DEFAULT_LIMITS: Readonly<PackageLimits> = Object.freeze({
  maxEntries: 10_000,
  maxTotalBytes: 2 * 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 1024 ** 2,
  maxMetaFileBytes: 4 * 1024 ** 2,
  nestedTailBytes: 4 * 1024 ** 2,
  maxBufferedPartBytes: 64 * 1024 ** 2,
});

/** Spent across all archives of one package, so nesting cannot multiply the limits. */
export interface Budget {
  entries: number;
  nestedBytes: number;
}

export interface ZipFile {
  /** Name as stored (zip.js decodes UTF-8 or CP437). */
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly encrypted: boolean;
  readonly zipCrypto: boolean;
  readonly method: number;
  readonly offset: number;
  /** Where the next entry's local header begins (or the archive's end): this entry's data must end before it. */
  readonly nextOffset: number;
  readonly entry: FileEntry;
}

export interface ArchiveContext {
  limits: PackageLimits;
  budget: Budget;
  /** Used for encrypted entries only; never stored beyond this archive object. */
  password?: string | undefined;
  /** "" for the outer archive, the provider part's name for a nested one (prefixes names in messages). */
  label: string;
  depth: number;
  signal?: AbortSignal | undefined;
  /** Verify zip CRC-32 as well as the manifests' SHA-256 (catches wrong ZipCrypto keys that pass the 1-byte check). */
  checkCrc32?: boolean;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
/** Read size for stored entries read directly (the spool's read-ahead window serves several of them). */
const STORED_CHUNK = 256 * 1024;
/** The encryption header before a ZipCrypto entry's data (APPNOTE 6.1.6). */
const ZIPCRYPTO_HEADER = 12;
const SYMLINK_TYPE = 0o120000;
const UNIX_TYPE_MASK = 0o170000;
const DOS_REPARSE_POINT = 0x400;

function zipErrorCode(error: unknown): PackageErrorCode | null {
  const message = error instanceof Error ? error.message : '';
  switch (message) {
    case ERR_INVALID_PASSWORD:
      return PackageErrorCode.WRONG_PASSWORD;
    case ERR_ENCRYPTED:
      return PackageErrorCode.PASSWORD_REQUIRED;
    case ERR_INVALID_UNCOMPRESSED_SIZE:
      return PackageErrorCode.SIZE_MISMATCH;
    case ERR_OVERLAPPING_ENTRY:
      return PackageErrorCode.OVERLAPPING_ENTRIES;
    case ERR_ENTRY_DATA_OUT_OF_BOUNDS:
    case ERR_LOCAL_FILE_HEADER_NOT_FOUND:
    case ERR_EOCDR_NOT_FOUND:
    case ERR_CENTRAL_DIRECTORY_NOT_FOUND:
    case ERR_EOCDR_LOCATOR_ZIP64_NOT_FOUND:
    case ERR_BAD_FORMAT:
      return PackageErrorCode.TRUNCATED;
    case ERR_AMBIGUOUS_ARCHIVE:
      return PackageErrorCode.AMBIGUOUS_ARCHIVE;
    case ERR_INVALID_CRC32:
    case ERR_INVALID_COMPRESSED_DATA:
      return PackageErrorCode.CORRUPT_ENTRY;
    case ERR_UNSUPPORTED_COMPRESSION:
    case ERR_UNSUPPORTED_ENCRYPTION:
    case ERR_SPLIT_ZIP_FILE:
      return PackageErrorCode.UNSUPPORTED_ENTRY;
    default:
      return null;
  }
}

function isSymlink(entry: Entry): boolean {
  const unixType = (entry.externalFileAttributes >>> 16) & UNIX_TYPE_MASK;
  return entry.symlink || unixType === SYMLINK_TYPE || (entry.msDosCompatible && (entry.externalFileAttributes & DOS_REPARSE_POINT) !== 0);
}

export class ZipArchive {
  readonly files: readonly ZipFile[];
  readonly #reader: RandomReader;
  readonly #zip: ZipReader<unknown>;
  readonly #ctx: ArchiveContext;

  private constructor(reader: RandomReader, zip: ZipReader<unknown>, files: ZipFile[], ctx: ArchiveContext) {
    this.#reader = reader;
    this.#zip = zip;
    this.files = files;
    this.#ctx = ctx;
  }

  get depth(): number {
    return this.#ctx.depth;
  }

  /** A name as shown in messages: prefixed with the provider part it lives in. */
  shown(name: string): string {
    return displayName(this.#ctx.label === '' ? name : `${this.#ctx.label} › ${name}`);
  }

  /** Reads and checks the central directory; refuses the archive before any entry data is read. */
  static async open(reader: RandomReader, ctx: ArchiveContext): Promise<ZipArchive> {
    const where = (name: string) => displayName(ctx.label === '' ? name : `${ctx.label} › ${name}`);
    try {
      await reader.init?.();
    } catch (error) {
      throw asFailure(error, PackageErrorCode.READ_FAILED, where(ctx.label || 'package'));
    }
    const looksLikeZip = await startsWithLocalHeader(reader);
    const zip = new ZipReader(reader, { useWebWorkers: false, filenameValidation: 'tolerant', checkAmbiguity: false, strictness: 'tolerant' });
    const entries: Entry[] = [];
    try {
      for await (const entry of zip.getEntriesGenerator()) {
        entries.push(entry);
        if (ctx.budget.entries + entries.length > ctx.limits.maxEntries) {
          throw packageFailure(PackageErrorCode.TOO_MANY_ENTRIES, `> ${ctx.limits.maxEntries}`);
        }
      }
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      const code = zipErrorCode(error);
      if (code === PackageErrorCode.TRUNCATED && !looksLikeZip) throw packageFailure(PackageErrorCode.NOT_A_ZIP, '', error);
      throw packageFailure(code ?? (looksLikeZip ? PackageErrorCode.TRUNCATED : PackageErrorCode.NOT_A_ZIP), where(ctx.label || 'package'), error);
    }
    if (entries.length === 0 && !looksLikeZip) throw packageFailure(PackageErrorCode.NOT_A_ZIP);
    ctx.budget.entries += entries.length;

    for (const entry of entries) {
      const reason = unsafeNameReason(entry.filename);
      if (reason !== null) throw packageFailure(reason, where(entry.filename));
      if (isSymlink(entry)) throw packageFailure(PackageErrorCode.SYMLINK_ENTRY, where(entry.filename));
    }
    const duplicate = findDuplicateName(entries.map((e) => e.filename));
    if (duplicate !== null) throw packageFailure(duplicate.code, where(duplicate.name));

    let declared = 0;
    for (const entry of entries) {
      if (entry.directory) continue;
      const size = entry.uncompressedSize;
      if (size > ctx.limits.ratioFloorBytes && size > ctx.limits.maxRatio * Math.max(1, entry.compressedSize)) {
        throw packageFailure(PackageErrorCode.COMPRESSION_RATIO, where(entry.filename));
      }
      declared += size;
    }
    const limitText = `${(ctx.limits.maxTotalBytes / 1024 ** 2).toFixed(0)} MiB`;
    if (declared > ctx.limits.maxTotalBytes) throw packageFailure(PackageErrorCode.TOO_LARGE, limitText);
    if (ctx.depth > 0) {
      ctx.budget.nestedBytes += declared;
      if (ctx.budget.nestedBytes > ctx.limits.maxTotalBytes) throw packageFailure(PackageErrorCode.TOO_LARGE, limitText);
    }

    // Local data ranges from the central directory: each entry's header and data must end before the next begins.
    // The local extra field is not counted here (it can differ); zip.js checks the exact ranges while reading.
    const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
    for (const [i, entry] of byOffset.entries()) {
      const end = entry.offset + 30 + entry.rawFilename.length + entry.compressedSize;
      if (end > reader.size) throw packageFailure(PackageErrorCode.TRUNCATED, where(entry.filename));
      const next = byOffset[i + 1];
      if (next !== undefined && end > next.offset) throw packageFailure(PackageErrorCode.OVERLAPPING_ENTRIES, where(next.filename));
    }

    // Archive-level ambiguities (appended or prepended data, several end records): read the directory again, strictly.
    try {
      await new ZipReader(reader, { useWebWorkers: false, filenameValidation: 'tolerant', checkAmbiguity: true, maxAppendedDataSize: 0 }).getEntries();
    } catch (error) {
      const reason = (error as { reason?: unknown }).reason;
      const code = zipErrorCode(error) ?? PackageErrorCode.AMBIGUOUS_ARCHIVE;
      throw packageFailure(code, typeof reason === 'string' ? reason : where(ctx.label || 'package'), error);
    }

    const files: ZipFile[] = [];
    for (const [i, entry] of byOffset.entries()) {
      if (entry.directory) continue;
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw packageFailure(PackageErrorCode.UNSUPPORTED_ENTRY, where(entry.filename));
      }
      if (entry.encrypted && (ctx.password === undefined || ctx.password === '')) throw packageFailure(PackageErrorCode.PASSWORD_REQUIRED);
      files.push({
        name: entry.filename,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        encrypted: entry.encrypted,
        zipCrypto: entry.zipCrypto,
        method: entry.compressionMethod,
        offset: entry.offset,
        nextOffset: byOffset[i + 1]?.offset ?? reader.size,
        entry,
      });
    }
    return new ZipArchive(reader, zip, files, ctx);
  }

  /**
   * Streams one entry's content to `onChunk`, never more than its declared size: the first byte beyond it stops
   * the read with PACKAGE_SIZE_MISMATCH. Errors from zip.js come out as named failures.
   */
  async pipe(file: ZipFile, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
    if (file.method === 0 && !file.encrypted && this.#ctx.checkCrc32 === false) return this.#pipeStored(file, onChunk);
    if (file.zipCrypto && (file.method === 0 || file.method === 8) && this.#ctx.password !== undefined) return this.#pipeZipCrypto(file, this.#ctx.password, onChunk);
    let written = 0;
    // Set from inside the stream callbacks; an object so the type checker does not narrow it to null.
    const state: { failure: AppFailure | null } = { failure: null };
    const guard = new WritableStream<Uint8Array>({
      write: async (chunk) => {
        written += chunk.length;
        if (written > file.size) {
          state.failure = packageFailure(PackageErrorCode.SIZE_MISMATCH, this.shown(file.name));
          throw state.failure;
        }
        try {
          await onChunk(chunk);
        } catch (error) {
          state.failure = error instanceof AppFailure ? error : packageFailure(PackageErrorCode.READ_FAILED, this.shown(file.name), error);
          throw state.failure;
        }
      },
    });
    try {
      await file.entry.getData(guard, {
        password: file.encrypted ? this.#ctx.password : undefined,
        checkCrc32: this.#ctx.checkCrc32 ?? true,
        checkLocalDirectory: true,
        checkLocalFilename: true,
        checkOverlappingEntry: true,
        signal: this.#ctx.signal,
      });
    } catch (error) {
      if (state.failure !== null) throw state.failure;
      if (this.#ctx.signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED, '', error);
      if (error instanceof AppFailure) throw error;
      let code = zipErrorCode(error) ?? PackageErrorCode.READ_FAILED;
      // ZipCrypto checks a password with one byte: a wrong key that passes it shows up as garbage data instead.
      if (file.zipCrypto && code === PackageErrorCode.CORRUPT_ENTRY) code = PackageErrorCode.WRONG_PASSWORD;
      const reason = (error as { reason?: unknown }).reason;
      throw packageFailure(code, code === PackageErrorCode.AMBIGUOUS_ARCHIVE && typeof reason === 'string' ? reason : this.shown(file.name), error);
    }
    if (state.failure !== null) throw state.failure;
    if (written !== file.size) throw packageFailure(PackageErrorCode.SIZE_MISMATCH, this.shown(file.name));
  }

  /**
   * A stored, unencrypted entry without CRC-32 (the download path, whose bytes are covered by SHA-256 twice) is read
   * straight from the archive's reader. zip.js would re-chunk it through two ChunkStreams, copying every byte twice:
   * most of the verifier's garbage, and so of its peak memory (pipeline bench). The local header gets the checks
   * zip.js makes (signature, name as in the central directory, data inside the archive and before the next entry).
   */
  async #pipeStored(file: ZipFile, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
    if (file.compressedSize !== file.size) throw packageFailure(PackageErrorCode.SIZE_MISMATCH, this.shown(file.name));
    const { start, end } = await this.#dataRange(file);
    await this.#readRange(file, start, end, onChunk);
  }

  /**
   * Where an entry's data lies, after the checks zip.js makes on its local header (signature, name as in the central
   * directory, data inside the archive and before the next entry); also the header's flags and time.
   */
  async #dataRange(file: ZipFile): Promise<{ start: number; end: number; flags: number; time: number }> {
    const header = await this.#reader.readUint8Array(file.offset, 30);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (header.length < 30 || view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) throw packageFailure(PackageErrorCode.TRUNCATED, this.shown(file.name));
    const nameLength = view.getUint16(26, true);
    const localName = await this.#reader.readUint8Array(file.offset + 30, nameLength);
    const rawName = file.entry.rawFilename;
    if (localName.length !== rawName.length || localName.some((b, i) => b !== rawName[i])) throw packageFailure(PackageErrorCode.AMBIGUOUS_ARCHIVE, this.shown(file.name));
    const start = file.offset + 30 + nameLength + view.getUint16(28, true);
    const end = start + file.compressedSize;
    if (end > this.#reader.size) throw packageFailure(PackageErrorCode.TRUNCATED, this.shown(file.name));
    if (end > file.nextOffset) throw packageFailure(PackageErrorCode.OVERLAPPING_ENTRIES, this.shown(file.name));
    return { start, end, flags: view.getUint16(6, true), time: view.getUint16(10, true) };
  }

  /**
   * A ZipCrypto entry (the official website's downloads), decrypted here and inflated by zlib on its own thread:
   * zip.js decrypts it a byte at a time through arrays, most of an import's time and garbage (import bench). The
   * checks are zip.js's: the password check byte, the size, and the CRC-32 (always, as a wrong key that passes the
   * one-byte check shows up only there); a failure of either after a passed check byte means the wrong password.
   */
  async #pipeZipCrypto(file: ZipFile, password: string, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
    const shown = this.shown(file.name);
    const { start, end, flags, time } = await this.#dataRange(file);
    if (end - start < ZIPCRYPTO_HEADER) throw packageFailure(PackageErrorCode.TRUNCATED, shown);
    const cipher = new ZipCryptoDecipher(password);
    const head = cipher.decrypt(Uint8Array.from(await this.#reader.readUint8Array(start, ZIPCRYPTO_HEADER)));
    const expectedCrc = file.entry.crc32 ?? 0;
    // With a data descriptor (flag bit 3) the writer did not know the CRC yet and checks the time's high byte instead.
    const check = (flags & 0x8) !== 0 ? (time >>> 8) & 0xff : (expectedCrc >>> 24) & 0xff;
    if (head[ZIPCRYPTO_HEADER - 1] !== check) throw packageFailure(PackageErrorCode.WRONG_PASSWORD, shown);

    let written = 0;
    let crc = 0;
    const deliver = async (chunk: Uint8Array): Promise<void> => {
      written += chunk.length;
      if (written > file.size) throw packageFailure(PackageErrorCode.SIZE_MISMATCH, shown);
      crc = crc32(chunk, crc);
      try {
        await onChunk(chunk);
      } catch (error) {
        throw error instanceof AppFailure ? error : packageFailure(PackageErrorCode.READ_FAILED, shown, error);
      }
    };
    try {
      if (file.method === 0) {
        for await (const chunk of this.#decryptedChunks(file, start + ZIPCRYPTO_HEADER, end, cipher)) await deliver(chunk);
      } else {
        await pipeline(Readable.from(this.#decryptedChunks(file, start + ZIPCRYPTO_HEADER, end, cipher)), createInflateRaw({ chunkSize: STORED_CHUNK }), async (inflated: AsyncIterable<Buffer>) => {
          for await (const chunk of inflated) await deliver(chunk);
        });
      }
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      if (this.#ctx.signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED, '', error);
      // Data that does not inflate after a passed check byte: the key was wrong (ZipCrypto's garbage), as zip.js says.
      throw packageFailure(PackageErrorCode.WRONG_PASSWORD, shown, error);
    }
    if (written !== file.size) throw packageFailure(PackageErrorCode.SIZE_MISMATCH, shown);
    if (crc >>> 0 !== expectedCrc >>> 0) throw packageFailure(PackageErrorCode.WRONG_PASSWORD, shown);
  }

  /** The decrypted bytes of [start, end), chunk by chunk (the decipher carries its state across chunks). */
  async *#decryptedChunks(file: ZipFile, start: number, end: number, cipher: ZipCryptoDecipher): AsyncGenerator<Uint8Array> {
    // Copied before decrypting in place: the reader may hand out a view of memory it reuses.
    for await (const chunk of this.#rawChunks(file, start, end)) yield cipher.decrypt(Uint8Array.from(chunk));
  }

  /** Reads [start, end) of the archive and hands it on chunk by chunk. */
  async #readRange(file: ZipFile, start: number, end: number, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
    for await (const chunk of this.#rawChunks(file, start, end)) {
      try {
        await onChunk(chunk);
      } catch (error) {
        throw error instanceof AppFailure ? error : packageFailure(PackageErrorCode.READ_FAILED, this.shown(file.name), error);
      }
    }
  }

  /** The archive's bytes in [start, end), as the reader gives them; a cancel, a failed read or a short file is named. */
  async *#rawChunks(file: ZipFile, start: number, end: number): AsyncGenerator<Uint8Array> {
    for (let at = start; at < end; ) {
      if (this.#ctx.signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED);
      let chunk: Uint8Array;
      try {
        chunk = await this.#reader.readUint8Array(at, Math.min(STORED_CHUNK, end - at));
      } catch (error) {
        throw packageFailure(PackageErrorCode.READ_FAILED, this.shown(file.name), error);
      }
      if (chunk.length === 0) throw packageFailure(PackageErrorCode.TRUNCATED, this.shown(file.name));
      at += chunk.length;
      yield chunk;
    }
  }

  /** Reads a small entry (manifest, signature, certificate) whole, refusing anything above `max` bytes. */
  async bytes(file: ZipFile, max: number): Promise<Uint8Array> {
    if (file.size > max) throw packageFailure(PackageErrorCode.META_FILE_TOO_LARGE, this.shown(file.name));
    const out = new Uint8Array(file.size);
    let at = 0;
    await this.pipe(file, (chunk) => {
      out.set(chunk, at);
      at += chunk.length;
    });
    return out;
  }

  /**
   * Opens an entry as a nested zip (a provider part). Depth is limited to one level below the outer package.
   * A stored, unencrypted part is read in place; otherwise its content is re-streamed (never written to disk).
   */
  async nested(file: ZipFile, label: string): Promise<ZipArchive> {
    if (this.#ctx.depth >= 1) throw packageFailure(PackageErrorCode.NESTING_TOO_DEEP, this.shown(file.name));
    const ctx: ArchiveContext = { ...this.#ctx, label, depth: this.#ctx.depth + 1 };
    if (file.method === 0 && !file.encrypted) {
      const header = await this.#reader.readUint8Array(file.offset, 30);
      const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
      if (header.length < 30 || view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) {
        throw packageFailure(PackageErrorCode.TRUNCATED, this.shown(file.name));
      }
      const start = file.offset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
      if (start + file.size > this.#reader.size) throw packageFailure(PackageErrorCode.TRUNCATED, this.shown(file.name));
      return ZipArchive.open(new SliceReader(this.#reader, start, file.size), ctx);
    }
    if (file.size <= this.#ctx.limits.maxBufferedPartBytes) {
      const out = new Uint8Array(file.size);
      let at = 0;
      await this.pipe(file, (chunk) => {
        out.set(chunk, at);
        at += chunk.length;
      });
      return ZipArchive.open(new Uint8ArrayReader(out), ctx);
    }
    const open = (): ReadableStream<Uint8Array> => {
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const writer = writable.getWriter();
      this.pipe(file, (chunk) => writer.write(chunk)).then(
        () => writer.close(),
        (error: unknown) => writer.abort(error),
      ).catch(() => undefined);
      return readable;
    };
    return ZipArchive.open(new RestreamReader(open, file.size, this.#ctx.limits.nestedTailBytes), ctx);
  }

  async close(): Promise<void> {
    if (this.#reader instanceof RestreamReader) this.#reader.close();
    await this.#zip.close();
  }
}

async function startsWithLocalHeader(reader: RandomReader): Promise<boolean> {
  if (reader.size < 4) return false;
  const head = await reader.readUint8Array(0, 4);
  return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

function asFailure(error: unknown, code: PackageErrorCode, what: string): AppFailure {
  if (error instanceof AppFailure) return error;
  return packageFailure(code, what, error);
}
