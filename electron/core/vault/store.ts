// Storing a package in the vault (G12): each file encrypted into its own blob under a new data key, every blob durable before the index names it, and nothing left behind on a failure or a cancel.
//
// Commit order: blobs are written to temp names, fsynced and renamed, the blobs folder is fsynced, and only then
// the index that names them; so a package is in the index only when all its blobs are durable.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeBlob } from './blob.ts';
import { blobPath, checkAbort, type OpenedVault } from './context.ts';
import { VaultError } from './errors.ts';
import { removeQuietly, tempPathFor } from './fsio.ts';
import { nameFailure } from './key-record.ts';
import { generateKey, wrapDataKey } from './keys.ts';
import { PackageMetaSchema, summarise, type PackageMeta, type PackageRecord, type PackageSummary, type Vault } from './model.ts';
import { entryNameProblem, nameKey } from './names.ts';

/** A file's SHA-256: the one its producer already checked the bytes against (VaultEntryInput.sha256), or hashed here. */
function fileDigest(checked: string | undefined): { update(bytes: Uint8Array): void; hex(): string } {
  if (checked !== undefined && /^[0-9a-f]{64}$/.test(checked)) return { update: () => undefined, hex: () => checked };
  const hash = createHash('sha256');
  return { update: (bytes) => hash.update(bytes), hex: () => hash.digest('hex') };
}

function parseMeta(raw: unknown): PackageMeta {
  const parsed = PackageMetaSchema.safeParse(raw);
  if (!parsed.success) {
    throw VaultError.invalidEntry('資料包的說明資料格式不正確', `its description is malformed (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Vault.store: see its documentation in model.ts. */
export async function storePackage(vault: OpenedVault, input: Parameters<Vault['store']>[0], storeOptions: Parameters<Vault['store']>[1] = {}): Promise<PackageSummary> {
  vault.live();
  const { fs, index } = vault;
  const { signal, onProgress } = storeOptions;
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
      const finalPath = blobPath(vault, blobId.toString('hex'));
      temp = tempPathFor(finalPath);
      const digest = fileDigest(entry.sha256);
      const out = await fs.openNew(temp);
      let result;
      try {
        result = await writeBlob(out, entry.stream, dataKey, blobId, {
          chunkSize: vault.chunkSize,
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
    await fs.syncDir(vault.blobDir);
    const record: PackageRecord = {
      id,
      storedAt: vault.clock.now().toISOString(),
      meta,
      files,
      wrappedKey: wrapDataKey(vault.master, id, dataKey).toString('base64'),
    };
    await index.serial(async () => {
      vault.live();
      checkAbort(signal);
      await index.commit([...index.packages, record]);
    });
    return summarise(record);
  } catch (error) {
    if (temp) await removeQuietly(fs, temp);
    for (const path of written) await removeQuietly(fs, path);
    throw nameFailure(error, 'vault');
  } finally {
    dataKey.fill(0);
  }
}

/** Vault.delete / deleteAll: the index entry (the only copy of the wrapped data key) goes first, then the blobs. */
export async function deletePackages(vault: OpenedVault, which: (record: PackageRecord) => boolean): Promise<void> {
  const { fs, index } = vault;
  const doomed = index.packages.filter(which);
  try {
    await index.commit(index.packages.filter((record) => !which(record)));
  } catch (error) {
    throw nameFailure(error, 'vault');
  }
  // The key is gone with the index entry; a blob that cannot be removed now is swept on the next open.
  for (const record of doomed) {
    for (const file of record.files) await removeQuietly(fs, blobPath(vault, file.blobId));
  }
  await fs.syncDir(vault.blobDir).catch(() => undefined);
}
