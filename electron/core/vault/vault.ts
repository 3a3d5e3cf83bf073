// The encrypted vault (ARCHITECTURE §8, G12): stores verified packages encrypted, lists, reads, exports and deletes them.
//
// On disk, under the vault folder:
//   vault.key        JSON key record: format, version, protection ('os' | 'passphrase'), the master key sealed
//                    by the KeyProtector (base64), and a 16-byte key check (HKDF of the master key) that
//                    tells a wrong key from a damaged index. Written once, atomically.
//   index.mdv        "MDVINDX1" ‖ AES-256-GCM(index subkey; nonce ‖ JSON ‖ tag), AAD "MDVINDX1". The JSON lists
//                    every package: id, time stored, metadata (service, providers with verdicts), files
//                    (name, size, SHA-256, blob id, ciphertext size) and its data key wrapped under the master
//                    key. Rewritten atomically (temp, fsync, rename, fsync of the folder) on every change.
//   blobs/<id>.blob  one per stored file, in the chunked format documented in blob.ts.
// Commit order: blobs are written to temp names, fsynced and renamed, the blobs folder is fsynced, and only then
// the index that names them; so a package is in the index only when all its blobs are durable. An open sweeps
// temp files and blobs the index does not name (left by a crash, a cancel or a failed delete).
// A delete removes the entry (and with it the only copy of the wrapped data key) from the index first, then
// the blobs. One process at a time per vault folder: the app holds Electron's single-instance lock.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../contract/errors.ts';
import type { Clock, KeyProtector } from '../ports.ts';
import { BlobIntegrityError, DEFAULT_CHUNK, readBlob, writeBlob } from './blob.ts';
import { VaultError, ioFailure } from './errors.ts';
import { isTempName, nodeVaultFs, removeQuietly, tempPathFor, writeFileAtomic, type VaultFs } from './fsio.ts';
import {
  derivePublicKey,
  deriveInternalKey,
  generateKey,
  isPassphraseProtector,
  keyCheck,
  keyCheckMatches,
  openSmall,
  sealSmall,
  unwrapDataKey,
  wrapDataKey,
} from './keys.ts';
import { entryNameProblem, exportSegments, nameKey } from './names.ts';
import { MarkFile, sameState, type MarkState } from '../integrity/mark.ts';

export const VAULT_FORMAT_VERSION = 1;
export const KEY_FILE = 'vault.key';
const INDEX_FILE = 'index.mdv';
const BLOB_DIR = 'blobs';
const INDEX_MAGIC = Buffer.from('MDVINDX1', 'ascii');
const BLOB_NAME = /^([0-9a-f]{32})\.blob$/;

// ---------------------------------------------------------------------------------------------
// Types

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
export type ProviderVerdict = z.infer<typeof ProviderVerdictSchema>;

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

const PackageRecordSchema = z.object({
  id: z.string().min(1),
  storedAt: z.string(),
  meta: PackageMetaSchema,
  files: z.array(StoredFileSchema),
  wrappedKey: z.string(),
});
type PackageRecord = z.infer<typeof PackageRecordSchema>;

/**
 * `generation` counts index commits; the high-water mark (integrity/mark.ts) remembers the last one, so an older
 * index put back in place is refused instead of resurrecting deleted packages and sweeping away newer ones.
 * Indexes written before generations existed have none (read as 0).
 */
const IndexSchema = z.object({ version: z.number().int(), generation: z.number().int().nonnegative().optional(), packages: z.array(PackageRecordSchema) });

const KeyRecordSchema = z.object({
  format: z.literal('mydata-desktop-vault'),
  version: z.number().int(),
  protection: z.enum(['os', 'passphrase']),
  sealedMasterKey: z.base64(),
  keyCheck: z.base64(),
  createdAt: z.string(),
});
export type KeyRecord = z.infer<typeof KeyRecordSchema>;

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

// ---------------------------------------------------------------------------------------------
// Helpers

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}

/** AppFailures pass through; I/O errors get named; anything else (e.g. a source stream's own error) is kept. */
function nameFailure(error: unknown, where: 'vault' | 'export'): unknown {
  if (error instanceof AppFailure) return error;
  if (isErrno(error)) return ioFailure(error, where);
  return error;
}

function summarise(record: PackageRecord): PackageSummary {
  const files = record.files.map(({ name, size, sha256 }) => ({ name, size, sha256 }));
  return {
    id: record.id,
    storedAt: record.storedAt,
    meta: structuredClone(record.meta),
    files,
    totalSize: files.reduce((sum, file) => sum + file.size, 0),
  };
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw VaultError.cancelled();
}

/** Inspects a vault folder without unlocking it, so the UI knows whether to ask for a passphrase first. */
/** A file's SHA-256: the one its producer already checked the bytes against (VaultEntryInput.sha256), or hashed here. */
function fileDigest(checked: string | undefined): { update(bytes: Uint8Array): void; hex(): string } {
  if (checked !== undefined && /^[0-9a-f]{64}$/.test(checked)) return { update: () => undefined, hex: () => checked };
  const hash = createHash('sha256');
  return { update: (bytes) => hash.update(bytes), hex: () => hash.digest('hex') };
}

export async function inspectVault(
  dir: string,
  fs: VaultFs = nodeVaultFs,
): Promise<{ exists: false } | { exists: true; protection: 'os' | 'passphrase' }> {
  let raw: Uint8Array;
  try {
    raw = await fs.readFile(join(dir, KEY_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw nameFailure(error, 'vault');
  }
  const record = parseKeyRecord(raw);
  return { exists: true, protection: record.protection };
}

export function parseKeyRecord(raw: Uint8Array): KeyRecord {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (error) {
    throw VaultError.keyRecordDamaged(error);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > VAULT_FORMAT_VERSION) throw VaultError.newerFormat(version);
  const parsed = KeyRecordSchema.safeParse(json);
  if (!parsed.success) throw VaultError.keyRecordDamaged(parsed.error);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Open

export async function openVault(options: OpenVaultOptions): Promise<Vault> {
  const { dir, protector, clock } = options;
  const fs = options.fs ?? nodeVaultFs;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const blobDir = join(dir, BLOB_DIR);
  const keyPath = join(dir, KEY_FILE);
  const indexPath = join(dir, INDEX_FILE);

  let master: Buffer;
  let protection: 'os' | 'passphrase';
  let packages: PackageRecord[];
  let generation = 0;
  let mark: MarkFile | null = null;

  try {
    await fs.mkdir(blobDir);
    const blobNames = (await fs.readdir(blobDir)).filter((name) => !isTempName(name));
    const keyExists = await fs.exists(keyPath);
    const indexExists = await fs.exists(indexPath);

    if (!keyExists) {
      // Never mint a new master key over data sealed with a lost one.
      if (indexExists || blobNames.length > 0) throw VaultError.keyRecordMissing();
      protection = isPassphraseProtector(protector) ? 'passphrase' : 'os';
      if (protection === 'os' && !(await protector.isStrong())) throw VaultError.weakKeyProtection();
      master = generateKey();
      let sealed: Uint8Array;
      try {
        sealed = await protector.protect(master);
      } catch (error) {
        throw error instanceof AppFailure ? error : VaultError.keyUnavailable(error);
      }
      const record: KeyRecord = {
        format: 'mydata-desktop-vault',
        version: VAULT_FORMAT_VERSION,
        protection,
        sealedMasterKey: Buffer.from(sealed).toString('base64'),
        keyCheck: keyCheck(master).toString('base64'),
        createdAt: clock.now().toISOString(),
      };
      await writeFileAtomic(fs, keyPath, Buffer.from(JSON.stringify(record, null, 2), 'utf8'));
    } else {
      const record = parseKeyRecord(await fs.readFile(keyPath));
      protection = record.protection;
      if (protection === 'passphrase' && !isPassphraseProtector(protector)) throw VaultError.passphraseRequired();
      if (protection === 'os' && isPassphraseProtector(protector)) throw VaultError.keyUnavailable();
      // The keyring may have gone since creation (Linux falls back to basic_text): say so rather than fail obscurely.
      if (protection === 'os' && !(await protector.isStrong())) throw VaultError.weakKeyProtection();
      try {
        master = Buffer.from(await protector.unprotect(Buffer.from(record.sealedMasterKey, 'base64')));
      } catch (error) {
        throw error instanceof AppFailure ? error : VaultError.keyUnavailable(error);
      }
      if (!keyCheckMatches(master, Buffer.from(record.keyCheck, 'base64'))) throw VaultError.keyMismatch();
    }

    let indexBytes: Uint8Array;
    let marked: boolean;
    if (indexExists) {
      indexBytes = await fs.readFile(indexPath);
      const index = decodeIndex(master, indexBytes);
      packages = index.packages;
      generation = index.generation ?? 0;
      marked = index.generation !== undefined;
    } else {
      // A missing index with blobs present is damage, not a fresh vault: sweeping would destroy data.
      if (blobNames.length > 0) throw VaultError.indexMissing();
      packages = [];
      marked = false;
      indexBytes = encodeIndex(master, packages, generation);
      await writeFileAtomic(fs, indexPath, indexBytes);
    }

    if (options.markFile !== undefined) {
      // Checked before the sweep: a refused index must not get to delete the blobs it does not name.
      mark = await checkIndexMark(options.markFile, deriveInternalKey(master, 'mark'), generation, indexBytes, marked);
    }

    await sweep(fs, dir, blobDir, packages);
  } catch (error) {
    await mark?.close();
    throw nameFailure(error, 'vault');
  }

  let closed = false;
  // Index changes run one at a time; blob writes and reads run outside this chain.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  };

  const live = (): void => {
    if (closed) throw VaultError.closed();
  };

  const find = (id: string): PackageRecord => {
    const record = packages.find((candidate) => candidate.id === id);
    if (!record) throw VaultError.notFound(id);
    return record;
  };

  const commit = async (next: PackageRecord[]): Promise<void> => {
    const bytes = encodeIndex(master, next, generation + 1);
    await writeFileAtomic(fs, indexPath, bytes);
    generation += 1;
    packages = next;
    // After the index, never before: a mark ahead of its index would refuse the vault after a crash. A mark
    // behind (a crash between the two, or this write failing) is moved forward at the next open.
    await mark?.set(indexMark(generation, bytes)).catch(() => undefined);
  };

  async function* decrypt(record: PackageRecord, name: string, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
    const key = nameKey(name);
    const file = record.files.find((candidate) => nameKey(candidate.name) === key);
    if (!file) throw VaultError.fileNotFound(record.id, name);
    let dataKey: Buffer;
    try {
      dataKey = unwrapDataKey(master, record.id, Buffer.from(record.wrappedKey, 'base64'));
    } catch (error) {
      throw VaultError.tampered(file.name, error);
    }
    let handle;
    try {
      handle = await fs.openRead(join(blobDir, `${file.blobId}.blob`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw VaultError.tampered(file.name, error);
      throw nameFailure(error, 'vault');
    }
    try {
      for await (const chunk of readBlob(handle, dataKey, Buffer.from(file.blobId, 'hex'), file.cipherSize)) {
        checkAbort(signal);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof BlobIntegrityError) throw VaultError.tampered(file.name, error);
      throw nameFailure(error, 'vault');
    } finally {
      dataKey.fill(0);
      await handle.close().catch(() => undefined);
    }
  }

  const vault: Vault = {
    dir,
    protection,

    async store(input, storeOptions = {}) {
      live();
      const { signal, onProgress } = storeOptions;
      const parseMeta = (raw: unknown): PackageMeta => {
        const parsed = PackageMetaSchema.safeParse(raw);
        if (!parsed.success) {
          throw VaultError.invalidEntry('資料包的說明資料格式不正確', `its description is malformed (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        }
        return parsed.data;
      };
      const early = typeof input.meta === 'function' ? null : parseMeta(input.meta);
      const id = randomUUID();
      const dataKey = generateKey();
      const written: string[] = [];
      let temp: string | null = null;
      const files: PackageRecord['files'] = [];
      const seen = new Set<string>();
      let bytes = 0;
      try {
        checkAbort(signal);
        for await (const entry of input.files) {
          checkAbort(signal);
          const problem = entryNameProblem(entry.name, seen, files.map((file) => file.name));
          if (problem) throw VaultError.invalidEntry(problem.zh, problem.en);
          const name = entry.name.normalize('NFC');
          seen.add(nameKey(name));
          const blobId = randomBytes(16);
          const finalPath = join(blobDir, `${blobId.toString('hex')}.blob`);
          temp = tempPathFor(finalPath);
          const digest = fileDigest(entry.sha256);
          const out = await fs.openNew(temp);
          let result;
          try {
            result = await writeBlob(out, entry.stream, dataKey, blobId, {
              chunkSize,
              onChunk: (fileBytes, plain) => {
                digest.update(plain);
                checkAbort(signal);
                onProgress?.({ file: name, filesDone: files.length, bytes: bytes + fileBytes });
              },
            });
            await out.sync();
          } finally {
            await out.close();
          }
          await fs.rename(temp, finalPath);
          written.push(finalPath);
          temp = null;
          bytes += result.plainSize;
          files.push({ name, size: result.plainSize, sha256: digest.hex(), blobId: blobId.toString('hex'), cipherSize: result.cipherSize });
        }
        if (files.length === 0) throw VaultError.invalidEntry('資料包中沒有任何檔案', 'the package holds no files');
        const meta = early ?? parseMeta((input.meta as () => PackageMeta)());
        checkAbort(signal);
        await fs.syncDir(blobDir);
        const record: PackageRecord = {
          id,
          storedAt: clock.now().toISOString(),
          meta,
          files,
          wrappedKey: wrapDataKey(master, id, dataKey).toString('base64'),
        };
        await serial(async () => {
          live();
          checkAbort(signal);
          await commit([...packages, record]);
        });
        return summarise(record);
      } catch (error) {
        if (temp) await removeQuietly(fs, temp);
        for (const path of written) await removeQuietly(fs, path);
        throw nameFailure(error, 'vault');
      } finally {
        dataKey.fill(0);
      }
    },

    list() {
      return Promise.resolve().then(() => {
        live();
        return packages.map(summarise).sort((a, b) => (a.storedAt < b.storedAt ? 1 : a.storedAt > b.storedAt ? -1 : 0));
      });
    },

    get(id) {
      return Promise.resolve().then(() => {
        live();
        return summarise(find(id));
      });
    },

    readFile(id, name, readOptions = {}) {
      // Checked when iteration starts, so every failure arrives the same way: from the iteration.
      return (async function* () {
        live();
        yield* decrypt(find(id), name, readOptions.signal);
      })();
    },

    async readFileBytes(id, name, readOptions = {}) {
      live();
      const maxBytes = readOptions.maxBytes ?? 64 * 1024 * 1024;
      const record = find(id);
      const file = record.files.find((candidate) => nameKey(candidate.name) === nameKey(name));
      if (!file) throw VaultError.fileNotFound(id, name);
      if (file.size > maxBytes) throw VaultError.tooLarge(file.name, maxBytes);
      const parts: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of decrypt(record, name, readOptions.signal)) {
        total += chunk.length;
        if (total > maxBytes) throw VaultError.tampered(file.name);
        parts.push(chunk);
      }
      return Buffer.concat(parts, total);
    },

    async export(id, destDir, exportOptions = {}) {
      live();
      const { overwrite = false, signal, onProgress } = exportOptions;
      const record = find(id);
      const targets = record.files.map((file) => ({ file, path: join(destDir, ...exportSegments(file.name)) }));
      const createdFiles: string[] = [];
      const createdDirs: string[] = [];
      let temp: string | null = null;
      const bytesTotal = record.files.reduce((sum, file) => sum + file.size, 0);
      let bytes = 0;
      try {
        // Refuse before writing anything, so a refused export leaves the folder exactly as it was.
        for (const { path } of targets) {
          if (!overwrite && (await fs.exists(path))) throw VaultError.exportExists(path);
        }
        for (const [done, { file, path }] of targets.entries()) {
          checkAbort(signal);
          const existed = await fs.exists(path);
          await makeParents(fs, destDir, dirname(path), createdDirs);
          temp = tempPathFor(path);
          const out = await fs.openNew(temp);
          try {
            for await (const chunk of decrypt(record, file.name, signal)) {
              await out.write(chunk);
              bytes += chunk.length;
              onProgress?.({ file: file.name, filesDone: done, filesTotal: targets.length, bytes, bytesTotal });
            }
            await out.sync();
          } finally {
            await out.close();
          }
          await place(fs, temp, path, overwrite);
          temp = null;
          if (!existed) createdFiles.push(path);
          await fs.syncDir(dirname(path));
        }
        return { files: targets.map(({ path }) => path) };
      } catch (error) {
        if (temp) await removeQuietly(fs, temp);
        for (const path of createdFiles) await removeQuietly(fs, path);
        for (const path of createdDirs.reverse()) await fs.rmdir(path).catch(() => undefined);
        throw nameFailure(error, 'export');
      }
    },

    async delete(id) {
      live();
      return serial(async () => {
        live();
        const record = find(id);
        try {
          await commit(packages.filter((candidate) => candidate.id !== id));
        } catch (error) {
          throw nameFailure(error, 'vault');
        }
        // The key is gone with the index entry; a blob that cannot be removed now is swept on the next open.
        for (const file of record.files) await removeQuietly(fs, join(blobDir, `${file.blobId}.blob`));
        await fs.syncDir(blobDir).catch(() => undefined);
      });
    },

    async deleteAll() {
      live();
      return serial(async () => {
        live();
        const doomed = packages;
        try {
          await commit([]);
        } catch (error) {
          throw nameFailure(error, 'vault');
        }
        for (const record of doomed) {
          for (const file of record.files) await removeQuietly(fs, join(blobDir, `${file.blobId}.blob`));
        }
        await fs.syncDir(blobDir).catch(() => undefined);
      });
    },

    deriveKey(purpose) {
      live();
      return derivePublicKey(master, purpose);
    },

    close() {
      if (closed) return;
      closed = true;
      master.fill(0);
      void mark?.close();
    },
  };
  return vault;
}

// ---------------------------------------------------------------------------------------------
// Index, sweep, export placement

function encodeIndex(master: Uint8Array, packages: PackageRecord[], generation: number): Buffer {
  const json = Buffer.from(JSON.stringify({ version: VAULT_FORMAT_VERSION, generation, packages }), 'utf8');
  return Buffer.concat([INDEX_MAGIC, sealSmall(deriveInternalKey(master, 'index'), json, INDEX_MAGIC)]);
}

const NO_FILE_ID = Buffer.alloc(16);

function indexMark(generation: number, bytes: Uint8Array): MarkState {
  return { fileId: NO_FILE_ID, count: generation, head: createHash('sha256').update(bytes).digest() };
}

/**
 * The index against its mark: older than the mark (or the same generation with other bytes) is an index put back
 * from an older copy, refused; newer is a commit whose mark update a crash cut off, accepted and caught up.
 * A missing mark is expected only for an index from before marks existed (no generation in it).
 */
async function checkIndexMark(path: string, key: Uint8Array, generation: number, bytes: Uint8Array, marked: boolean): Promise<MarkFile> {
  const { mark, problem } = await MarkFile.open(path, key, 'vault');
  try {
    if (problem === 'tampered') throw VaultError.markTampered();
    if (problem === 'missing' && marked && generation > 0) throw VaultError.markMissing();
    const here = indexMark(generation, bytes);
    const known = mark.current;
    if (known && (generation < known.count || (generation === known.count && !here.head.equals(known.head)))) {
      throw VaultError.rolledBack(generation, known.count);
    }
    if (!known || !sameState(known, here)) await mark.set(here);
    return mark;
  } catch (error) {
    await mark.close();
    throw error;
  }
}

function decodeIndex(master: Uint8Array, raw: Uint8Array): { packages: PackageRecord[]; generation: number | undefined } {
  const bytes = Buffer.from(raw);
  if (!bytes.subarray(0, INDEX_MAGIC.length).equals(INDEX_MAGIC)) throw VaultError.indexTampered();
  let json: unknown;
  try {
    const plain = openSmall(deriveInternalKey(master, 'index'), bytes.subarray(INDEX_MAGIC.length), INDEX_MAGIC);
    json = JSON.parse(plain.toString('utf8'));
  } catch (error) {
    throw VaultError.indexTampered(error);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > VAULT_FORMAT_VERSION) throw VaultError.newerFormat(version);
  const parsed = IndexSchema.safeParse(json);
  if (!parsed.success) throw VaultError.indexTampered(parsed.error);
  return { packages: parsed.data.packages, generation: parsed.data.generation };
}

/** Removes what a crash, cancel or failed delete left: temp files anywhere, and blobs the index does not name. */
async function sweep(fs: VaultFs, dir: string, blobDir: string, packages: PackageRecord[]): Promise<void> {
  const named = new Set(packages.flatMap((record) => record.files.map((file) => file.blobId)));
  let removed = false;
  for (const name of await fs.readdir(dir)) {
    if (isTempName(name)) {
      await fs.unlink(join(dir, name));
      removed = true;
    }
  }
  if (removed) await fs.syncDir(dir);
  removed = false;
  for (const name of await fs.readdir(blobDir)) {
    const match = BLOB_NAME.exec(name);
    if (isTempName(name) || (match && !named.has(match[1] ?? ''))) {
      await fs.unlink(join(blobDir, name));
      removed = true;
    }
  }
  if (removed) await fs.syncDir(blobDir);
}

async function makeParents(fs: VaultFs, root: string, dir: string, created: string[]): Promise<void> {
  if (dir === root || (await fs.exists(dir))) return;
  await makeParents(fs, root, dirname(dir), created);
  await fs.mkdir(dir);
  created.push(dir);
}

/** Moves an exported temp file into place; without `overwrite`, a hard link makes "only if absent" atomic. */
async function place(fs: VaultFs, temp: string, path: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await fs.rename(temp, path);
    return;
  }
  try {
    await fs.link(temp, path);
    await fs.unlink(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw VaultError.exportExists(path);
    // FAT/exFAT drives and some network shares have no hard links: check, then rename.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV') {
      if (await fs.exists(path)) throw VaultError.exportExists(path);
      await fs.rename(temp, path);
      return;
    }
    throw error;
  }
}
