// The vault's shapes (ARCHITECTURE §8): what a stored package records (metadata, providers' verdicts, files), what callers see of it, and the Vault interface itself.
import { z } from 'zod';
import type { Clock, KeyProtector } from '../ports.ts';
import type { VaultFs } from './fsio.ts';

export const VAULT_FORMAT_VERSION = 1;

/** One provider's verification verdict, as the package verifier decided it (G9) and the UI shows it. */
export const ProviderVerdictSchema = z.object({
  resourceId: z.string().min(1),
  name: z.string(),
  /**
   * 'issuer_unrecognised': signature and digests valid, but the certificate chains to no known anchor;
   * 'not_verified': intact, but no signer is known for the dataset (kept only when the person asked);
   * 'unsigned': a download that carries no provider signatures (the official website's). None of these is verified.
   */
  verdict: z.enum(['verified', 'issuer_unrecognised', 'not_verified', 'failed', 'unsigned']),
  /** The verifier's own result, kept as it gave it. */
  detail: z.json().optional(),
});

export const PackageMetaSchema = z.object({
  service: z.object({ id: z.string().min(1), name: z.string() }),
  source: z.enum(['download', 'import']),
  txId: z.string().optional(),
  /** When the package reached this machine (download finished or file imported), if not the store time. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  providers: z.array(ProviderVerdictSchema),
  /** For an import: where the file came from, its name, and the SHA-256 of the whole file as received. */
  origin: z
    .object({
      source: z.enum(['official-website', 'counter', 'service-provider-package', 'demo']),
      fileName: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number().int().nonnegative(),
    })
    .optional(),
});
export type PackageMeta = z.infer<typeof PackageMetaSchema>;

const StoredFileSchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  blobId: z.string().regex(/^[0-9a-f]{32}$/),
  cipherSize: z.number().int().nonnegative(),
});

export const PackageRecordSchema = z.object({
  id: z.string().min(1),
  storedAt: z.string(),
  meta: PackageMetaSchema,
  files: z.array(StoredFileSchema),
  wrappedKey: z.string(),
});
export type PackageRecord = z.infer<typeof PackageRecordSchema>;

/** What the My data screen shows about one package; never any key material. */
export interface PackageSummary {
  id: string;
  storedAt: string;
  meta: PackageMeta;
  files: { name: string; size: number; sha256: string }[];
  totalSize: number;
}

/** One file to store; `name` may have up to four '/'-separated parts (e.g. '<resource_id>/data.json'). */
export interface VaultEntryInput {
  name: string;
  stream: AsyncIterable<Uint8Array>;
  /**
   * The SHA-256 (lower-case hex) that the producer has already checked these exact bytes against, when it has:
   * recorded as the file's digest instead of hashing every byte a second time. Only for a stream that ends
   * normally only when its bytes matched it (the package verifier's sinks: see FileSink in package/verify.ts).
   */
  sha256?: string;
}

export interface StoreProgress {
  file: string;
  filesDone: number;
  /** Plaintext bytes consumed so far, over all files. */
  bytes: number;
}

export interface ExportProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

export interface OpenVaultOptions {
  dir: string;
  protector: KeyProtector;
  clock: Clock;
  /** Tests inject a failing layer; the app uses node:fs. */
  fs?: VaultFs;
  /** Plaintext bytes per chunk for new blobs; tests use small ones. */
  chunkSize?: number;
  /**
   * Where the index's high-water mark lives: a file outside the vault folder (the app: `<profile>/vault.mark`).
   * Without it, an older index restored in place cannot be told from the current one.
   */
  markFile?: string;
}

export interface Vault {
  readonly dir: string;
  readonly protection: 'os' | 'passphrase';
  /**
   * Encrypts and stores a package. Cancel through `signal` (the source streams should honour it too);
   * on cancel or failure nothing of the package remains. Resolves only once the package is durable.
   */
  store(
    /** `meta` may be a function, called once the files are consumed (a verdict known only after a single streaming pass). */
    input: { meta: PackageMeta | (() => PackageMeta); files: AsyncIterable<VaultEntryInput> | Iterable<VaultEntryInput> },
    options?: { signal?: AbortSignal; onProgress?: (progress: StoreProgress) => void },
  ): Promise<PackageSummary>;
  list(): Promise<PackageSummary[]>;
  get(id: string): Promise<PackageSummary>;
  /**
   * Decrypted content, chunk by chunk; each chunk is authenticated before it is given out, but a file cut
   * short is reported only by the error that ends the iteration, so consume it to the end before trusting it.
   */
  readFile(id: string, name: string, options?: { signal?: AbortSignal }): AsyncIterable<Uint8Array>;
  /** The whole decrypted file, for the viewer (JSON tables, PDF); refuses files over `maxBytes` (64 MiB). */
  readFileBytes(id: string, name: string, options?: { maxBytes?: number; signal?: AbortSignal }): Promise<Uint8Array>;
  /**
   * Decrypts every file of a package into `destDir` (which must exist), each through a temp name and a rename.
   * Refuses, before writing anything, when a target exists unless `overwrite`; on failure or cancel, removes
   * what this export created.
   */
  export(
    id: string,
    destDir: string,
    options?: { overwrite?: boolean; signal?: AbortSignal; onProgress?: (progress: ExportProgress) => void },
  ): Promise<{ files: string[] }>;
  delete(id: string): Promise<void>;
  deleteAll(): Promise<void>;
  /** A 32-byte key for another local store (e.g. 'history'), derived from the master key with HKDF-SHA256. */
  deriveKey(purpose: string): Buffer;
  close(): void;
}

/** What callers see of a record: never the wrapped key or blob ids. */
export function summarise(record: PackageRecord): PackageSummary {
  const files = record.files.map(({ name, size, sha256 }) => ({ name, size, sha256 }));
  return {
    id: record.id,
    storedAt: record.storedAt,
    meta: structuredClone(record.meta),
    files,
    totalSize: files.reduce((sum, file) => sum + file.size, 0),
  };
}
