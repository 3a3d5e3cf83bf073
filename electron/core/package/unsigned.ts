// A download without provider signatures (the official website's flat zip of PDF/CSV/JSON, ZipCrypto with the ID, ID-encrypted PDFs): checked for a well-formed, readable shape only, never "verified" (G9).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppFailure } from '../../contract/errors.ts';
import { DEFAULT_LIMITS, ZipArchive, type Budget } from './archive.ts';
import { packageFailure, PackageErrorCode } from './errors.ts';
import { FileReader, readerFor } from './readers.ts';

export interface UnsignedFile {
  filename: string;
  size: number;
  sha256: string;
  type: 'pdf' | 'csv' | 'json' | 'p7b';
  /** The PDF itself is encrypted (the website's AES with the national ID as user password). */
  pdf_encrypted: boolean;
  /** For an encrypted PDF: opened with the ID given (true), or not tried because no ID was given (false). */
  opened: boolean | null;
}

export interface UnsignedVerdict {
  /** SHA-256 of the whole file as received: the integrity reference from then on. */
  sha256: string;
  files: UnsignedFile[];
}

const TYPES: Record<string, UnsignedFile['type']> = { pdf: 'pdf', csv: 'csv', json: 'json', p7b: 'p7b' };
/** A PDF larger than this is not opened to check the ID (listed as encrypted and unopened). */
const MAX_PDF_CHECK_BYTES = 64 * 1024 * 1024;

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

function isPdfEncrypted(bytes: Uint8Array): boolean {
  // The trailer (or a cross-reference stream's dictionary) names /Encrypt in every encrypted PDF.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('/Encrypt');
}

/** Opens an encrypted PDF with the ID as user password: true, or a WRONG_PASSWORD failure. */
async function openPdf(bytes: Uint8Array, id: string, name: string): Promise<true> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: bytes.slice(), password: id, disableFontFace: true, verbosity: 0 });
  try {
    await task.promise;
    return true;
  } catch (error) {
    const code = (error as { name?: string; code?: number }).name === 'PasswordException' ? PackageErrorCode.WRONG_PASSWORD : PackageErrorCode.CORRUPT_ENTRY;
    throw packageFailure(code, name, error);
  } finally {
    await task.destroy();
  }
}

async function describe(name: string, bytes: Uint8Array, id: string | undefined): Promise<UnsignedFile> {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const type = TYPES[ext];
  if (type === undefined) throw packageFailure(PackageErrorCode.UNKNOWN_LAYOUT, name);
  const encrypted = type === 'pdf' && isPdfEncrypted(bytes);
  let opened: boolean | null = null;
  if (encrypted) opened = id === undefined || bytes.length > MAX_PDF_CHECK_BYTES ? false : await openPdf(bytes, id, name);
  return { filename: name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), type, pdf_encrypted: encrypted, opened };
}

/**
 * Reads an unsigned download: a flat zip (plain or ZipCrypto with the ID) of PDF/CSV/JSON files, or one PDF.
 * Hostile archives are refused as for signed packages; with `id`, every encrypted member must open with it
 * (otherwise PACKAGE_WRONG_PASSWORD); without it, a ZipCrypto zip is refused and an encrypted PDF is listed unopened.
 */
export async function verifyUnsigned(path: string, idInput?: string): Promise<UnsignedVerdict> {
  const id = idInput?.trim().toUpperCase();
  const sha256 = await fileSha256(path);
  let reader;
  try {
    reader = await readerFor(path);
  } catch (error) {
    throw packageFailure(PackageErrorCode.READ_FAILED, (error as NodeJS.ErrnoException).code ?? 'unreadable', error);
  }
  try {
    const head = await reader.readUint8Array(0, Math.min(5, reader.size));
    if (new TextDecoder('latin1').decode(head) === '%PDF-') {
      if (reader.size > MAX_PDF_CHECK_BYTES) throw packageFailure(PackageErrorCode.TOO_LARGE, `${reader.size} bytes`);
      const bytes = await reader.readUint8Array(0, reader.size);
      return { sha256, files: [await describe(path.split(/[/\\]/).pop() ?? 'download.pdf', bytes, id)] };
    }
    const budget: Budget = { entries: 0, nestedBytes: 0 };
    const archive = await ZipArchive.open(reader, { limits: DEFAULT_LIMITS, budget, password: id, label: '', depth: 0, checkCrc32: true });
    try {
      const files: UnsignedFile[] = [];
      for (const file of archive.files) {
        if (file.name.endsWith('/')) continue;
        if (file.name.includes('/')) throw packageFailure(PackageErrorCode.UNKNOWN_LAYOUT, file.name);
        if (/\.zip$/i.test(file.name)) throw packageFailure(PackageErrorCode.NESTING_TOO_DEEP, file.name);
        if (/\.pdf$/i.test(file.name)) {
          if (file.size > MAX_PDF_CHECK_BYTES) throw packageFailure(PackageErrorCode.TOO_LARGE, `${file.name}: ${file.size} bytes`);
          files.push(await describe(file.name, await archive.bytes(file, MAX_PDF_CHECK_BYTES), id));
          continue;
        }
        // Other members are only hashed, streamed (a CSV can be large).
        const described = await describe(file.name, new Uint8Array(0), id);
        const hash = createHash('sha256');
        await archive.pipe(file, (chunk) => void hash.update(chunk));
        files.push({ ...described, size: file.size, sha256: hash.digest('hex') });
      }
      if (files.length === 0) throw packageFailure(PackageErrorCode.UNKNOWN_LAYOUT);
      return { sha256, files };
    } finally {
      await archive.close();
    }
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    throw packageFailure(PackageErrorCode.READ_FAILED, 'unreadable', error);
  } finally {
    if (reader instanceof FileReader) await reader.close();
  }
}
