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
//
// The parts: model.ts (shapes and the Vault interface), key-record.ts (vault.key), index-file.ts (index.mdv, its
// mark and the sweep), store.ts (store and delete), read.ts (decrypting a file), export.ts; blob.ts is the blob format.
import { join } from 'node:path';
import { BLOB_DIR_NAME, type OpenedVault } from './context.ts';
import { VaultError } from './errors.ts';
import { isTempName, nodeVaultFs } from './fsio.ts';
import { INDEX_FILE, VaultIndex } from './index-file.ts';
import { KEY_FILE, nameFailure, unlockMasterKey } from './key-record.ts';
import { derivePublicKey } from './keys.ts';
import { summarise, type OpenVaultOptions, type Vault } from './model.ts';
import { DEFAULT_CHUNK } from './blob.ts';
import { exportPackage } from './export.ts';
import { decryptFile, readFileBytes } from './read.ts';
import { deletePackages, storePackage } from './store.ts';

export type {  OpenVaultOptions, PackageMeta, PackageSummary,   Vault, VaultEntryInput } from './model.ts';
export { inspectVault, KEY_FILE, parseKeyRecord, type KeyRecord } from './key-record.ts';

export async function openVault(options: OpenVaultOptions): Promise<Vault> {
  const { dir, protector, clock } = options;
  const fs = options.fs ?? nodeVaultFs;
  const blobDir = join(dir, BLOB_DIR_NAME);

  let master: Buffer;
  let protection: 'os' | 'passphrase';
  let index: VaultIndex | null = null;
  try {
    await fs.mkdir(blobDir);
    const blobNames = (await fs.readdir(blobDir)).filter((name) => !isTempName(name));
    const hasIndex = await fs.exists(join(dir, INDEX_FILE));
    ({ master, protection } = await unlockMasterKey(fs, join(dir, KEY_FILE), protector, clock, hasIndex || blobNames.length > 0));
    index = await VaultIndex.load(fs, dir, master, options.markFile, blobNames.length > 0);
    await index.sweep(dir, blobDir);
  } catch (error) {
    await index?.close();
    throw nameFailure(error, 'vault');
  }

  let closed = false;
  const live = (): void => {
    if (closed) throw VaultError.closed();
  };
  const opened: OpenedVault = {
    fs,
    blobDir,
    master,
    clock,
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
    index,
    live,
  };
  const ready = index;

  return {
    dir,
    protection,
    store: (input, storeOptions) => storePackage(opened, input, storeOptions),

    list() {
      return Promise.resolve().then(() => {
        live();
        return ready.packages.map(summarise).sort((a, b) => (a.storedAt < b.storedAt ? 1 : a.storedAt > b.storedAt ? -1 : 0));
      });
    },

    get(id) {
      return Promise.resolve().then(() => {
        live();
        return summarise(ready.find(id));
      });
    },

    readFile(id, name, readOptions = {}) {
      // Checked when iteration starts, so every failure arrives the same way: from the iteration.
      return (async function* () {
        live();
        yield* decryptFile(opened, ready.find(id), name, readOptions.signal);
      })();
    },

    async readFileBytes(id, name, readOptions = {}) {
      live();
      return readFileBytes(opened, ready.find(id), name, readOptions.maxBytes ?? 64 * 1024 * 1024, readOptions.signal);
    },

    async export(id, destDir, exportOptions = {}) {
      live();
      return exportPackage(opened, ready.find(id), destDir, exportOptions);
    },

    async delete(id) {
      live();
      return ready.serial(async () => {
        live();
        ready.find(id);
        await deletePackages(opened, (record) => record.id === id);
      });
    },

    async deleteAll() {
      live();
      return ready.serial(async () => {
        live();
        await deletePackages(opened, () => true);
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
      void ready.close();
    },
  };
}
