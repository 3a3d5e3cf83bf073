// Package verification (G4, G9, ARCHITECTURE §6): outer manifest and dataset codes, then per provider part the signature, the signer policy and path to an anchor, the signer's binding to the dataset, every file's SHA-256, and what the signed content says of the transaction and the subject.
// It stays one file (the reading of signed claims aside) so that the order of the checks on a package and on each of
// its parts can be read and reviewed in one place.
import { createHash } from 'node:crypto';
import { AppFailure, type AppError } from '../../contract/errors.ts';
import { DEFAULT_LIMITS, ZipArchive, type Budget, type PackageLimits, type ZipFile } from './archive.ts';
import { checkCertificate, loadCertificatePolicy, parseCertificate, parseTrustAnchors, verifyManifestSignature, type CertificateInfo, type CertificateVerdict, type TrustStore } from './certificate.ts';
import { displayName, packageError, packageFailure, PackageErrorCode } from './errors.ts';
import { DELIVERED_CODE, parseOuterManifest, parseProviderManifest, type ProviderManifestEntry } from './manifest.ts';
import { META_BACKSLASH_NAMES } from './names.ts';
import { FileReader, readerFor, type PackageSource } from './readers.ts';
import { signerMatches, type Bilingual, type SignerBindings } from './signers.ts';
import { sameSubject, shownId, signedClaims, type Claims } from './claims.ts';

export const MANIFEST = 'META-INFO/manifest.xml';
export const SIGNATURE = 'META-INFO/manifest.sha256withrsa';
/** The older name some producers still write for the signature. */
export const SIGNATURE_OLD = 'META-INFO/signature.sha256withrsa';
export const CERTIFICATE = 'META-INFO/certificate.cer';

/** Each META-INFO file under every name it may have; two of one kind in a part is refused (which is genuine?). */
const META_NAMES = {
  manifest: [MANIFEST],
  signature: [SIGNATURE, SIGNATURE_OLD],
  certificate: [CERTIFICATE],
} as const;
const canonicalMeta = (name: string): string => META_BACKSLASH_NAMES.get(name) ?? name;
const ALL_META = new Set<string>([...Object.values(META_NAMES).flat(), ...META_BACKSLASH_NAMES.keys()]);

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

/** What the signed content must agree with, where it names it (G9): this transaction and this person. */
export interface Expectations {
  txId?: string | null;
  /** The verified identity: national ID or 統一編號, full or masked (`A12345****`). */
  subjectIds?: readonly string[];
}

export interface VerifyOptions {
  /** PEM texts of the profile's trust anchors (sandbox CA for demo, GRCA for official). */
  trustAnchors?: readonly string[];
  /** PEM texts of intermediates: used to build a path to an anchor, never trusted on their own. */
  intermediates?: readonly string[];
  /** resource_id → the provider and signer identities that may sign it. A dataset without one is never verified. */
  signers?: SignerBindings;
  /** Keep parts that are intact but not verified (no known signer, unknown issuer): only when the person asks. */
  keepUnverified?: boolean;
  expect?: Expectations;
  /** The verification time for certificate validity; injectable for tests. */
  now?: () => Date;
  /** The national ID for ZipCrypto packages; upper-cased here, used for this call only, never stored. */
  password?: string;
  limits?: Partial<PackageLimits>;
  signal?: AbortSignal;
  sink?: FileSink;
  /** Check zip CRC-32 as well (default true). */
  checkCrc32?: boolean;
  /** For a single provider part: its resource id (without it the part has no binding and is not verified). */
  resourceId?: string;
}

export type SignatureVerdict = 'valid' | 'invalid' | 'missing';
/**
 * `issuer-not-recognised` and `no-known-signer` are intact (signature and digests hold) but NOT verified: no path
 * to an anchor, or no known signer for the dataset. They are kept only when the person asks, labelled with why.
 */
export type ProviderStatus = 'verified' | 'issuer-not-recognised' | 'no-known-signer' | 'failed' | 'not-delivered';

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
  /** The dataset's name from the catalogue or the signed content, never from the unsigned outer manifest. */
  resource_name: string | null;
  dataset: Bilingual | null;
  /** The provider that holds the dataset, from the catalogue. */
  provider: Bilingual | null;
  /** The per-dataset status code from the outer manifest (null for a single part). */
  code: string | null;
  part: string;
  status: ProviderStatus;
  signature: SignatureVerdict;
  certificate: CertificateVerdict | 'missing';
  certificate_info: CertificateInfo | null;
  /** The certificate path found, signer first, anchor last. */
  path: string[];
  files: FileVerdict[];
  errors: AppError[];
}

export interface PackageVerdict {
  kind: 'package' | 'part';
  /** Every delivered part verified (signer bound to its dataset, path to an anchor, digests); at least one part. */
  ok: boolean;
  /** May go into the vault: nothing failed, and every part verified unless the person asked to keep unverified ones. */
  storable: boolean;
  /** Could be kept if the person asks (nothing failed, some parts only not verified). */
  keepable: boolean;
  /** Why `ok` is false, summarised; null when ok. */
  error: AppError | null;
  /** Problems of the outer package itself (an extra entry beside the parts). */
  errors: AppError[];
  providers: ProviderVerdict[];
  verified_at: string;
}

interface Run {
  store: TrustStore;
  signers: SignerBindings;
  expect: Expectations;
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

/** JSON data files up to this size are read for the claims they sign (transaction, subject, dataset). */
const MAX_CLAIMS_BYTES = 4 * 1024 * 1024;

/** Streams a file through SHA-256 (and optionally a sink); refuses an archive hidden inside a provider part. */
async function hashFile(archive: ZipArchive, file: ZipFile, writer: WritableStreamDefaultWriter<Uint8Array> | null, keep: Uint8Array[] | null): Promise<string> {
  const hash = createHash('sha256');
  let first = true;
  try {
    await archive.pipe(file, async (chunk) => {
      if (first && chunk.length >= 4) {
        first = false;
        if (ZIP_MAGIC.some((m) => m.every((b, i) => chunk[i] === b))) throw packageFailure(PackageErrorCode.NESTING_TOO_DEEP, archive.shown(file.name));
      }
      hash.update(chunk);
      keep?.push(chunk.slice());
      if (writer !== null) await writer.write(chunk);
    });
  } catch (error) {
    await writer?.abort(error).catch(() => undefined);
    throw error;
  }
  return hash.digest('hex');
}


const NOT_VERIFIED_CODES: ReadonlySet<string> = new Set([PackageErrorCode.CERTIFICATE_UNTRUSTED, PackageErrorCode.SIGNER_UNKNOWN]);

interface PartMeta {
  resource_id: string;
  /** The outer manifest's (unsigned) name, compared with the signed one but never shown. */
  claimed_name: string | null;
  code: string | null;
  part: string;
}

/** The META-INFO file of one kind, or null; two of one kind (e.g. `/` and `\` names, or both signature names) is refused. */
function metaFile(archive: ZipArchive, kind: keyof typeof META_NAMES): ZipFile | null {
  const found = archive.files.filter((f) => (META_NAMES[kind] as readonly string[]).includes(canonicalMeta(f.name)));
  if (found.length > 1) throw packageFailure(PackageErrorCode.META_DUPLICATE, archive.shown(found.map((f) => f.name).join(' + ')));
  return found[0] ?? null;
}

async function verifyPart(archive: ZipArchive, run: Run, meta: PartMeta): Promise<ProviderVerdict> {
  const binding = run.signers.get(meta.resource_id);
  const verdict: ProviderVerdict = {
    resource_id: meta.resource_id,
    resource_name: binding?.dataset?.zh ?? null,
    dataset: binding?.dataset ?? null,
    provider: binding?.provider ?? null,
    code: meta.code,
    part: meta.part,
    status: 'failed',
    signature: 'missing',
    certificate: 'missing',
    certificate_info: null,
    path: [],
    files: [],
    errors: [],
  };
  const byName = new Map(archive.files.map((f) => [nfc(f.name), f]));
  for (const file of archive.files) {
    if (/\.zip$/i.test(file.name)) throw packageFailure(PackageErrorCode.NESTING_TOO_DEEP, archive.shown(file.name));
  }
  const files = { manifest: metaFile(archive, 'manifest'), signature: metaFile(archive, 'signature'), certificate: metaFile(archive, 'certificate') };
  const metaBytes = async (file: ZipFile | null) => (file === null ? null : archive.bytes(file, run.limits.maxMetaFileBytes));
  const manifestBytes = await metaBytes(files.manifest);
  const signatureBytes = await metaBytes(files.signature);
  const certificateBytes = await metaBytes(files.certificate);

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
    const check = checkCertificate(cert, run.store, run.at);
    verdict.certificate = check.verdict;
    verdict.certificate_info = check.info;
    verdict.path = check.path;
    if (check.code !== null) verdict.errors.push(packageError(check.code, displayName(check.detail)));
    // Who may sign this dataset: the catalogue's binding, whatever anchor the certificate chains to.
    const label = displayName(binding?.dataset?.zh ?? (meta.resource_id === '' ? '?' : meta.resource_id));
    if (binding === undefined || binding.signers.length === 0) verdict.errors.push(packageError(PackageErrorCode.SIGNER_UNKNOWN, label));
    else if (check.info !== null && !binding.signers.some((identity) => signerMatches(cert, identity))) {
      verdict.errors.push(packageError(PackageErrorCode.SIGNER_NOT_BOUND, displayName(check.info.subject)));
    }
  }

  const expected = new Map((listed ?? []).map((e) => [nfc(e.filename), e]));
  const sink = verdict.signature === 'valid' ? run.sink : undefined;
  const claims: Claims[] = [];
  for (const file of archive.files) {
    checkCancelled(run.signal);
    if (ALL_META.has(file.name)) continue;
    const want = expected.get(nfc(file.name));
    const out = sink !== undefined && want !== undefined
      ? (await sink({ resource_id: meta.resource_id, part: meta.part, filename: file.name, size: file.size, digest: want.digest })).getWriter()
      : null;
    const keep = want !== undefined && /\.json$/i.test(file.name) && file.size <= MAX_CLAIMS_BYTES ? [] : null;
    const digest = await hashFile(archive, file, out, keep);
    const verified = want !== undefined && want.digest === digest;
    if (out !== null) {
      if (verified) await out.close();
      else await out.abort(packageFailure(PackageErrorCode.DIGEST_MISMATCH, archive.shown(file.name))).catch(() => undefined);
    }
    verdict.files.push({ filename: file.name, digest, size: file.size, verified });
    if (verified && keep !== null) claims.push(signedClaims(Buffer.concat(keep)));
    if (listed === null) continue;
    if (want === undefined) verdict.errors.push(packageError(PackageErrorCode.EXTRA_FILE, archive.shown(file.name)));
    else if (!verified) verdict.errors.push(packageError(PackageErrorCode.DIGEST_MISMATCH, archive.shown(file.name)));
  }
  for (const entry of listed ?? []) {
    if (!byName.has(nfc(entry.filename))) verdict.errors.push(packageError(PackageErrorCode.MISSING_FILE, archive.shown(entry.filename)));
  }
  if (verdict.signature === 'valid') checkClaims(verdict, claims, meta, run.expect);
  const failures = verdict.errors.filter((e) => !NOT_VERIFIED_CODES.has(e.code));
  verdict.status =
    failures.length > 0 ? 'failed'
    : verdict.errors.some((e) => e.code === PackageErrorCode.SIGNER_UNKNOWN) ? 'no-known-signer'
    : verdict.errors.some((e) => e.code === PackageErrorCode.CERTIFICATE_UNTRUSTED) ? 'issuer-not-recognised'
    : 'verified';
  return verdict;
}

/** The signed content against the outer manifest, this transaction and the verified person (only what it names). */
function checkClaims(verdict: ProviderVerdict, claims: readonly Claims[], meta: PartMeta, expect: Expectations): void {
  for (const claim of claims) {
    if (claim.datasetId !== null && meta.resource_id !== '' && claim.datasetId !== meta.resource_id) {
      verdict.errors.push(packageError(PackageErrorCode.PART_MISMATCH, displayName(`resource_id ${meta.resource_id} ≠ ${claim.datasetId}`)));
    }
    if (claim.datasetName !== null && meta.claimed_name !== null && meta.claimed_name !== '' && claim.datasetName.zh !== meta.claimed_name) {
      verdict.errors.push(packageError(PackageErrorCode.PART_MISMATCH, displayName(`resource_name ${meta.claimed_name} ≠ ${claim.datasetName.zh}`)));
    }
    if (verdict.dataset === null && claim.datasetName !== null) {
      verdict.dataset = claim.datasetName;
      verdict.resource_name = claim.datasetName.zh;
    }
    const wantTx = expect.txId ?? null;
    for (const tx of claim.txIds) {
      if (wantTx !== null && tx !== wantTx) verdict.errors.push(packageError(PackageErrorCode.TRANSACTION_MISMATCH, displayName(tx)));
    }
    const ids = expect.subjectIds ?? [];
    if (ids.length > 0) {
      for (const id of claim.subjectIds) {
        if (!ids.some((mine) => sameSubject(mine, id))) verdict.errors.push(packageError(PackageErrorCode.SUBJECT_MISMATCH, displayName(shownId(id))));
      }
    }
  }
  // One error of each kind is enough for the person.
  const seen = new Set<string>();
  verdict.errors = verdict.errors.filter((e) => {
    const key = `${e.code}:${e.message_en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function summarise(kind: PackageVerdict['kind'], errors: AppError[], providers: ProviderVerdict[], at: Date, keepUnverified: boolean): PackageVerdict {
  const delivered = providers.filter((p) => p.status !== 'not-delivered');
  const intact = (p: ProviderVerdict) => p.status === 'verified' || p.status === 'issuer-not-recognised' || p.status === 'no-known-signer';
  const ok = errors.length === 0 && delivered.length > 0 && delivered.every((p) => p.status === 'verified');
  const keepable = errors.length === 0 && delivered.length > 0 && delivered.every(intact);
  const storable = ok || (keepable && keepUnverified);
  let error: AppError | null = null;
  if (!ok) {
    const problems = providers.filter((p) => p.status !== 'not-delivered').flatMap((p) => p.errors);
    const first = errors[0] ?? problems.find((e) => !NOT_VERIFIED_CODES.has(e.code)) ?? problems[0];
    error = first ?? packageError(PackageErrorCode.VERIFICATION_FAILED, 'no provider part');
  }
  return { kind, ok, storable, keepable, error, errors, providers, verified_at: at.toISOString() };
}

/**
 * Verifies a package (the outer zip) or a single provider part from a path, bytes or Blob, in one streaming pass.
 * Hostile structures throw an AppFailure with a PACKAGE_* code; verification problems are kept per provider in
 * the returned verdict. Nothing is written to disk; with `sink`, each listed data file is streamed to it.
 */
export async function verifyPackage(source: PackageSource, options: VerifyOptions = {}): Promise<PackageVerdict> {
  const limits: PackageLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const at = (options.now ?? (() => new Date()))();
  let store: TrustStore;
  try {
    store = { anchors: parseTrustAnchors(options.trustAnchors ?? []), intermediates: parseTrustAnchors(options.intermediates ?? []) };
  } catch (error) {
    throw packageFailure(PackageErrorCode.CERTIFICATE_INVALID, 'trust anchor: ' + (error instanceof Error ? error.message : 'unreadable'), error);
  }
  await loadCertificatePolicy();
  const run: Run = { store, signers: options.signers ?? new Map(), expect: options.expect ?? {}, at, limits, sink: options.sink, signal: options.signal };
  checkCancelled(options.signal);
  let reader;
  try {
    reader = await readerFor(source);
  } catch (error) {
    throw packageFailure(PackageErrorCode.READ_FAILED, (error as NodeJS.ErrnoException).code ?? 'unreadable', error);
  }
  try {
    return await verifyOuter(reader, options, run);
  } finally {
    if (reader instanceof FileReader) await reader.close();
  }
}

async function verifyOuter(reader: Awaited<ReturnType<typeof readerFor>>, options: VerifyOptions, run: Run): Promise<PackageVerdict> {
  const { limits, at } = run;
  const keepUnverified = options.keepUnverified === true;
  const budget: Budget = { entries: 0, nestedBytes: 0 };
  const password = options.password?.trim().toUpperCase();
  const outer = await ZipArchive.open(reader, { limits, budget, password, label: '', depth: 0, signal: options.signal, checkCrc32: options.checkCrc32 });
  try {
    const names = new Set(outer.files.map((f) => canonicalMeta(f.name)));
    if ([...META_NAMES.signature, ...META_NAMES.certificate].some((n) => names.has(n))) {
      const provider = await verifyPart(outer, run, { resource_id: options.resourceId ?? '', claimed_name: null, code: null, part: '' });
      return summarise('part', [], [provider], at, keepUnverified);
    }
    const manifestFile = metaFile(outer, 'manifest');
    if (manifestFile === null) {
      if (outer.files.some((f) => /\.zip$/i.test(f.name))) throw packageFailure(PackageErrorCode.MANIFEST_MISSING, MANIFEST);
      throw packageFailure(PackageErrorCode.UNKNOWN_LAYOUT);
    }
    const listed = parseOuterManifest(await outer.bytes(manifestFile, limits.maxMetaFileBytes));
    const byName = new Map(outer.files.map((f) => [nfc(f.name), f]));
    const providers: ProviderVerdict[] = [];
    const used = new Set<string>([manifestFile.name]);
    for (const entry of listed) {
      checkCancelled(options.signal);
      const meta: PartMeta = { resource_id: entry.resource_id, claimed_name: entry.resource_name, code: entry.code, part: entry.filename };
      const binding = run.signers.get(entry.resource_id);
      const bare = { resource_id: entry.resource_id, resource_name: binding?.dataset?.zh ?? null, dataset: binding?.dataset ?? null, provider: binding?.provider ?? null, code: entry.code, part: entry.filename, signature: 'missing' as const, certificate: 'missing' as const, certificate_info: null, path: [], files: [] };
      const file = entry.filename === '' ? undefined : byName.get(nfc(entry.filename));
      if (file !== undefined) used.add(file.name);
      if (entry.code !== DELIVERED_CODE && file === undefined) {
        providers.push({ ...bare, status: 'not-delivered', errors: [packageError(PackageErrorCode.DATASET_NOT_DELIVERED, displayName(entry.code))] });
        continue;
      }
      if (file === undefined) {
        providers.push({ ...bare, status: 'failed', errors: [packageError(PackageErrorCode.PART_MISSING, displayName(entry.filename))] });
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
    return summarise('package', errors, providers, at, keepUnverified);
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
