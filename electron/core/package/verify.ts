// Package verification (G4, G9, ARCHITECTURE §6): outer manifest and dataset codes, then per provider part the signature, certificate chain, validity and every file's SHA-256.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { AppFailure, type AppError } from '../../contract/errors.ts';
import { DEFAULT_LIMITS, ZipArchive, type Budget, type PackageLimits, type ZipFile } from './archive.ts';
import { checkCertificate, parseCertificate, parseTrustAnchors, verifyManifestSignature, type CertificateInfo, type CertificateVerdict } from './certificate.ts';
import { displayName, packageError, packageFailure, PackageErrorCode } from './errors.ts';
import { DELIVERED_CODE, parseOuterManifest, parseProviderManifest, type ProviderManifestEntry } from './manifest.ts';
import { FileReader, readerFor, type PackageSource } from './readers.ts';

export const MANIFEST = 'META-INFO/manifest.xml';
export const SIGNATURE = 'META-INFO/manifest.sha256withrsa';
export const CERTIFICATE = 'META-INFO/certificate.cer';

/** One data file about to be streamed to a sink. */
export interface DataFileInfo {
  resource_id: string;
  /** The provider part's name in the outer package ("" when a single part was given). */
  part: string;
  filename: string;
  size: number;
  /** Expected SHA-256 (lower-case hex) from the signed manifest. */
  digest: string;
}

/**
 * Receives each listed data file's bytes during the single verification pass. The stream is closed when the
 * file's digest matched and aborted when it did not (or reading failed). Content is PROVISIONAL until
 * verifyPackage resolves with `storable: true`; on a thrown refusal or a verdict that is not storable the
 * consumer must discard everything it received.
 */
export type FileSink = (file: DataFileInfo) => WritableStream<Uint8Array> | Promise<WritableStream<Uint8Array>>;

export interface VerifyOptions {
  /** PEM texts of the profile's trust anchors (sandbox CA, or the platform's published anchors). */
  trustAnchors?: readonly string[];
  /** The verification time for certificate validity; injectable for tests. */
  now?: () => Date;
  /** The national ID for ZipCrypto packages; upper-cased here, used for this call only, never stored. */
  password?: string;
  limits?: Partial<PackageLimits>;
  signal?: AbortSignal;
  sink?: FileSink;
  /** Check zip CRC-32 as well (default true). */
  checkCrc32?: boolean;
  /** For a single provider part: its resource id when the source name does not tell it. */
  resourceId?: string;
}

export type SignatureVerdict = 'valid' | 'invalid' | 'missing';
export type ProviderStatus = 'verified' | 'issuer-not-recognised' | 'failed' | 'not-delivered';

export interface FileVerdict {
  filename: string;
  /** SHA-256 of the bytes read, lower-case hex. */
  digest: string;
  size: number;
  /** Listed in the signed manifest with this same digest. */
  verified: boolean;
}

export interface ProviderVerdict {
  resource_id: string;
  resource_name: string | null;
  /** The per-dataset status code from the outer manifest (null for a single part). */
  code: string | null;
  part: string;
  status: ProviderStatus;
  signature: SignatureVerdict;
  certificate: CertificateVerdict | 'missing';
  certificate_info: CertificateInfo | null;
  files: FileVerdict[];
  errors: AppError[];
}

export interface PackageVerdict {
  kind: 'package' | 'part';
  /** Everything verified, every certificate chained to a trust anchor and valid now. */
  ok: boolean;
  /** Nothing failed; unknown issuers are allowed (the app keeps such a package and shows the badge). */
  storable: boolean;
  /** Why `ok` is false, summarised; null when ok. */
  error: AppError | null;
  /** Problems of the outer package itself (an extra entry beside the parts). */
  errors: AppError[];
  providers: ProviderVerdict[];
  verified_at: string;
}

interface Run {
  anchors: ReturnType<typeof parseTrustAnchors>;
  at: Date;
  limits: PackageLimits;
  sink: FileSink | undefined;
  signal: AbortSignal | undefined;
}

function nfc(name: string): string {
  return name.normalize('NFC');
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw packageFailure(PackageErrorCode.CANCELLED);
}

const ZIP_MAGIC = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
  [0x50, 0x4b, 0x07, 0x08],
];

/** Streams a file through SHA-256 (and optionally a sink); refuses an archive hidden inside a provider part. */
async function hashFile(archive: ZipArchive, file: ZipFile, writer: WritableStreamDefaultWriter<Uint8Array> | null): Promise<string> {
  const hash = createHash('sha256');
  let first = true;
  try {
    await archive.pipe(file, async (chunk) => {
      if (first && chunk.length >= 4) {
        first = false;
        if (ZIP_MAGIC.some((m) => m.every((b, i) => chunk[i] === b))) throw packageFailure(PackageErrorCode.NESTING_TOO_DEEP, archive.shown(file.name));
      }
      hash.update(chunk);
      if (writer !== null) await writer.write(chunk);
    });
  } catch (error) {
    await writer?.abort(error).catch(() => undefined);
    throw error;
  }
  const digest = hash.digest('hex');
  return digest;
}

async function verifyPart(archive: ZipArchive, run: Run, meta: { resource_id: string; resource_name: string | null; code: string | null; part: string }): Promise<ProviderVerdict> {
  const verdict: ProviderVerdict = { ...meta, status: 'failed', signature: 'missing', certificate: 'missing', certificate_info: null, files: [], errors: [] };
  const byName = new Map(archive.files.map((f) => [nfc(f.name), f]));
  for (const file of archive.files) {
    if (/\.zip$/i.test(file.name)) throw packageFailure(PackageErrorCode.NESTING_TOO_DEEP, archive.shown(file.name));
  }
  const metaBytes = async (name: string) => {
    const file = byName.get(name);
    return file === undefined ? null : archive.bytes(file, run.limits.maxMetaFileBytes);
  };
  const manifestBytes = await metaBytes(MANIFEST);
  const signatureBytes = await metaBytes(SIGNATURE);
  const certificateBytes = await metaBytes(CERTIFICATE);

  let listed: ProviderManifestEntry[] | null = null;
  if (manifestBytes === null) verdict.errors.push(packageError(PackageErrorCode.MANIFEST_MISSING, archive.shown(MANIFEST)));
  else {
    try {
      listed = parseProviderManifest(manifestBytes);
    } catch (error) {
      if (!(error instanceof AppFailure)) throw error;
      verdict.errors.push(error.toAppError());
    }
  }

  let cert: ReturnType<typeof parseCertificate> | null = null;
  if (certificateBytes === null) verdict.errors.push(packageError(PackageErrorCode.CERTIFICATE_MISSING, archive.shown(CERTIFICATE)));
  else {
    try {
      cert = parseCertificate(certificateBytes);
    } catch (error) {
      verdict.certificate = 'invalid';
      verdict.errors.push(packageError(PackageErrorCode.CERTIFICATE_INVALID, error instanceof Error ? error.message : 'unreadable'));
    }
  }
  if (signatureBytes === null) verdict.errors.push(packageError(PackageErrorCode.SIGNATURE_MISSING, archive.shown(SIGNATURE)));
  else if (manifestBytes !== null && cert !== null) {
    verdict.signature = verifyManifestSignature(manifestBytes, signatureBytes, cert) ? 'valid' : 'invalid';
    if (verdict.signature === 'invalid') verdict.errors.push(packageError(PackageErrorCode.SIGNATURE_INVALID));
  } else verdict.signature = 'invalid';
  if (cert !== null) {
    const check = checkCertificate(cert, run.anchors, run.at);
    verdict.certificate = check.verdict;
    verdict.certificate_info = check.info;
    if (check.verdict === 'expired') verdict.errors.push(packageError(PackageErrorCode.CERTIFICATE_EXPIRED, check.detail));
    if (check.verdict === 'invalid') verdict.errors.push(packageError(PackageErrorCode.CERTIFICATE_INVALID, check.detail));
    if (check.verdict === 'untrusted-issuer') verdict.errors.push(packageError(PackageErrorCode.CERTIFICATE_UNTRUSTED, displayName(check.detail)));
  }

  const expected = new Map((listed ?? []).map((e) => [nfc(e.filename), e]));
  const sink = verdict.signature === 'valid' ? run.sink : undefined;
  for (const file of archive.files) {
    checkCancelled(run.signal);
    if (file.name === MANIFEST || file.name === SIGNATURE || file.name === CERTIFICATE) continue;
    const want = expected.get(nfc(file.name));
    const out = sink !== undefined && want !== undefined
      ? (await sink({ resource_id: meta.resource_id, part: meta.part, filename: file.name, size: file.size, digest: want.digest })).getWriter()
      : null;
    const digest = await hashFile(archive, file, out);
    const verified = want !== undefined && want.digest === digest;
    if (out !== null) {
      if (verified) await out.close();
      else await out.abort(packageFailure(PackageErrorCode.DIGEST_MISMATCH, archive.shown(file.name))).catch(() => undefined);
    }
    verdict.files.push({ filename: file.name, digest, size: file.size, verified });
    if (listed === null) continue;
    if (want === undefined) verdict.errors.push(packageError(PackageErrorCode.EXTRA_FILE, archive.shown(file.name)));
    else if (!verified) verdict.errors.push(packageError(PackageErrorCode.DIGEST_MISMATCH, archive.shown(file.name)));
  }
  for (const entry of listed ?? []) {
    if (!byName.has(nfc(entry.filename))) verdict.errors.push(packageError(PackageErrorCode.MISSING_FILE, archive.shown(entry.filename)));
  }
  const failures = verdict.errors.filter((e) => e.code !== PackageErrorCode.CERTIFICATE_UNTRUSTED);
  verdict.status = failures.length > 0 ? 'failed' : verdict.certificate === 'untrusted-issuer' ? 'issuer-not-recognised' : 'verified';
  return verdict;
}

function summarise(kind: PackageVerdict['kind'], errors: AppError[], providers: ProviderVerdict[], at: Date): PackageVerdict {
  const ok = errors.length === 0 && providers.length > 0 && providers.every((p) => p.status === 'verified');
  const storable = errors.length === 0 && providers.length > 0 && providers.every((p) => p.status === 'verified' || p.status === 'issuer-not-recognised' || p.status === 'not-delivered');
  let error: AppError | null = null;
  if (!ok) {
    const first = errors[0] ?? providers.flatMap((p) => p.errors)[0];
    error = first ?? packageError(PackageErrorCode.VERIFICATION_FAILED, 'no provider part');
  }
  return { kind, ok, storable, error, errors, providers, verified_at: at.toISOString() };
}

/**
 * Verifies a package (the outer zip) or a single provider part from a path, bytes or Blob, in one streaming pass.
 * Hostile structures throw an AppFailure with a PACKAGE_* code; verification problems are kept per provider in
 * the returned verdict. Nothing is written to disk; with `sink`, each listed data file is streamed to it.
 */
export async function verifyPackage(source: PackageSource, options: VerifyOptions = {}): Promise<PackageVerdict> {
  const limits: PackageLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const at = (options.now ?? (() => new Date()))();
  let anchors: Run['anchors'];
  try {
    anchors = parseTrustAnchors(options.trustAnchors ?? []);
  } catch (error) {
    throw packageFailure(PackageErrorCode.CERTIFICATE_INVALID, 'trust anchor: ' + (error instanceof Error ? error.message : 'unreadable'), error);
  }
  const run: Run = { anchors, at, limits, sink: options.sink, signal: options.signal };
  checkCancelled(options.signal);
  let reader;
  try {
    reader = await readerFor(source);
  } catch (error) {
    throw packageFailure(PackageErrorCode.READ_FAILED, (error as NodeJS.ErrnoException).code ?? 'unreadable', error);
  }
  try {
    return await verifyOuter(reader, source, options, run);
  } finally {
    if (reader instanceof FileReader) await reader.close();
  }
}

async function verifyOuter(reader: Awaited<ReturnType<typeof readerFor>>, source: PackageSource, options: VerifyOptions, run: Run): Promise<PackageVerdict> {
  const { limits, at } = run;
  const budget: Budget = { entries: 0, nestedBytes: 0 };
  const password = options.password?.trim().toUpperCase();
  const outer = await ZipArchive.open(reader, { limits, budget, password, label: '', depth: 0, signal: options.signal, checkCrc32: options.checkCrc32 });
  try {
    const names = new Set(outer.files.map((f) => f.name));
    if (names.has(SIGNATURE) || names.has(CERTIFICATE)) {
      const resource_id = options.resourceId ?? (typeof source === 'string' ? basename(source).replace(/\.zip$/i, '') : '');
      const provider = await verifyPart(outer, run, { resource_id, resource_name: null, code: null, part: '' });
      return summarise('part', [], [provider], at);
    }
    const manifestFile = outer.files.find((f) => f.name === MANIFEST);
    if (manifestFile === undefined) {
      if (outer.files.some((f) => /\.zip$/i.test(f.name))) throw packageFailure(PackageErrorCode.MANIFEST_MISSING, MANIFEST);
      throw packageFailure(PackageErrorCode.UNKNOWN_LAYOUT);
    }
    const listed = parseOuterManifest(await outer.bytes(manifestFile, limits.maxMetaFileBytes));
    const byName = new Map(outer.files.map((f) => [nfc(f.name), f]));
    const providers: ProviderVerdict[] = [];
    const used = new Set<string>([MANIFEST]);
    for (const entry of listed) {
      checkCancelled(options.signal);
      const meta = { resource_id: entry.resource_id, resource_name: entry.resource_name, code: entry.code, part: entry.filename };
      const file = entry.filename === '' ? undefined : byName.get(nfc(entry.filename));
      if (file !== undefined) used.add(file.name);
      if (entry.code !== DELIVERED_CODE && file === undefined) {
        providers.push({ ...meta, status: 'not-delivered', signature: 'missing', certificate: 'missing', certificate_info: null, files: [], errors: [packageError(PackageErrorCode.DATASET_NOT_DELIVERED, displayName(entry.code))] });
        continue;
      }
      if (file === undefined) {
        providers.push({ ...meta, status: 'failed', signature: 'missing', certificate: 'missing', certificate_info: null, files: [], errors: [packageError(PackageErrorCode.PART_MISSING, displayName(entry.filename))] });
        continue;
      }
      const part = await outer.nested(file, file.name);
      try {
        const provider = await verifyPart(part, run, meta);
        if (entry.code !== DELIVERED_CODE) {
          provider.errors.push(packageError(PackageErrorCode.DATASET_NOT_DELIVERED, displayName(entry.code)));
          provider.status = 'failed';
        }
        providers.push(provider);
      } finally {
        await part.close();
      }
    }
    const errors = outer.files.filter((f) => !used.has(f.name)).map((f) => packageError(PackageErrorCode.EXTRA_FILE, displayName(f.name)));
    return summarise('package', errors, providers, at);
  } finally {
    await outer.close();
  }
}

/**
 * Verify first, then read again into the sink: the sink only ever sees a package whose first pass was storable,
 * and the second pass must reproduce every digest (a file changed in between is refused). Costs two passes;
 * `verifyPackage` with a sink does it in one, with provisional content.
 */
export async function verifyThenRead(source: PackageSource, options: VerifyOptions & { sink: FileSink }): Promise<PackageVerdict> {
  const { sink, ...rest } = options;
  const first = await verifyPackage(source, rest);
  if (!first.storable) return first;
  const second = await verifyPackage(source, { ...rest, sink });
  const digests = (v: PackageVerdict) => JSON.stringify(v.providers.map((p) => [p.resource_id, p.status, p.files.map((f) => [f.filename, f.digest])]));
  if (digests(first) !== digests(second)) throw packageFailure(PackageErrorCode.READ_FAILED, 'the file changed while it was being imported');
  return second;
}
