// The vault's index (index.mdv): every package's record sealed under an index subkey, rewritten atomically on each change, checked against its high-water mark so an older copy put back is refused, and the sweep of what it does not name.
//
// Layout: "MDVINDX1" ‖ AES-256-GCM(index subkey; nonce ‖ JSON ‖ tag), AAD "MDVINDX1". Commits run one at a time.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { MarkFile, sameState, type MarkState } from '../integrity/mark.ts';
import { VaultError } from './errors.ts';
import { isTempName, writeFileAtomic, type VaultFs } from './fsio.ts';
import { deriveInternalKey, openSmall, sealSmall } from './keys.ts';
import { PackageRecordSchema, VAULT_FORMAT_VERSION, type PackageRecord } from './model.ts';

export const INDEX_FILE = 'index.mdv';
const INDEX_MAGIC = Buffer.from('MDVINDX1', 'ascii');
const BLOB_NAME = /^([0-9a-f]{32})\.blob$/;

/**
 * `generation` counts index commits; the high-water mark (integrity/mark.ts) remembers the last one, so an older
 * index put back in place is refused instead of resurrecting deleted packages and sweeping away newer ones.
 * Indexes written before generations existed have none (read as 0).
 */
const IndexSchema = z.object({ version: z.number().int(), generation: z.number().int().nonnegative().optional(), packages: z.array(PackageRecordSchema) });

function encodeIndex(master: Uint8Array, packages: PackageRecord[], generation: number): Buffer {
  const json = Buffer.from(JSON.stringify({ version: VAULT_FORMAT_VERSION, generation, packages }), 'utf8');
  return Buffer.concat([INDEX_MAGIC, sealSmall(deriveInternalKey(master, 'index'), json, INDEX_MAGIC)]);
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

/** The packages the vault holds, as its index says; changes are committed one at a time. */
export class VaultIndex {
  #packages: PackageRecord[];
  #generation: number;
  readonly #mark: MarkFile | null;
  readonly #fs: VaultFs;
  readonly #path: string;
  readonly #master: Buffer;
  // Index changes run one at a time; blob writes and reads run outside this chain.
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(fs: VaultFs, path: string, master: Buffer, packages: PackageRecord[], generation: number, mark: MarkFile | null) {
    this.#fs = fs;
    this.#path = path;
    this.#master = master;
    this.#packages = packages;
    this.#generation = generation;
    this.#mark = mark;
  }

  /**
   * Reads the index (or writes an empty one for a new vault) and checks it against its mark when `markFile` is given.
   * `hasBlobs`: a missing index with blobs present is damage, not a fresh vault.
   */
  static async load(fs: VaultFs, dir: string, master: Buffer, markFile: string | undefined, hasBlobs: boolean): Promise<VaultIndex> {
    const path = join(dir, INDEX_FILE);
    let packages: PackageRecord[];
    let generation = 0;
    let indexBytes: Uint8Array;
    let marked: boolean;
    if (await fs.exists(path)) {
      indexBytes = await fs.readFile(path);
      const index = decodeIndex(master, indexBytes);
      packages = index.packages;
      generation = index.generation ?? 0;
      marked = index.generation !== undefined;
    } else {
      // Sweeping a vault whose index is gone would destroy data.
      if (hasBlobs) throw VaultError.indexMissing();
      packages = [];
      marked = false;
      indexBytes = encodeIndex(master, packages, generation);
      await writeFileAtomic(fs, path, indexBytes);
    }
    // Checked before any sweep: a refused index must not get to delete the blobs it does not name.
    const mark = markFile === undefined ? null : await checkIndexMark(markFile, deriveInternalKey(master, 'mark'), generation, indexBytes, marked);
    return new VaultIndex(fs, path, master, packages, generation, mark);
  }

  get packages(): readonly PackageRecord[] {
    return this.#packages;
  }

  find(id: string): PackageRecord {
    const record = this.#packages.find((candidate) => candidate.id === id);
    if (!record) throw VaultError.notFound(id);
    return record;
  }

  /** Runs `task` after every earlier index change has finished (whether it succeeded or not). */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Writes `next` as the new index (atomically), then moves the mark forward. Call inside serial(). */
  async commit(next: PackageRecord[]): Promise<void> {
    const bytes = encodeIndex(this.#master, next, this.#generation + 1);
    await writeFileAtomic(this.#fs, this.#path, bytes);
    this.#generation += 1;
    this.#packages = next;
    // After the index, never before: a mark ahead of its index would refuse the vault after a crash. A mark
    // behind (a crash between the two, or this write failing) is moved forward at the next open.
    await this.#mark?.set(indexMark(this.#generation, bytes)).catch(() => undefined);
  }

  /** Removes what a crash, cancel or failed delete left: temp files anywhere, and blobs the index does not name. */
  async sweep(dir: string, blobDir: string): Promise<void> {
    const fs = this.#fs;
    const named = new Set(this.#packages.flatMap((record) => record.files.map((file) => file.blobId)));
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

  async close(): Promise<void> {
    await this.#mark?.close();
  }
}
