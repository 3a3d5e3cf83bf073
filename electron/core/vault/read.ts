// Reading a stored file back (G12): its blob decrypted chunk by chunk, each chunk authenticated before it is given out; a missing or altered blob is VAULT_TAMPERED.
import { BlobIntegrityError, readBlob } from './blob.ts';
import { blobPath, checkAbort, type OpenedVault } from './context.ts';
import { VaultError } from './errors.ts';
import { nameFailure } from './key-record.ts';
import { unwrapDataKey } from './keys.ts';
import type { PackageRecord } from './model.ts';
import { nameKey } from './names.ts';

/** The file of `record` named `name` (compared as the vault compares names). */
export function fileOf(record: PackageRecord, name: string): PackageRecord['files'][number] {
  const key = nameKey(name);
  const file = record.files.find((candidate) => nameKey(candidate.name) === key);
  if (!file) throw VaultError.fileNotFound(record.id, name);
  return file;
}

/** Decrypted content of one file, chunk by chunk (see Vault.readFile for how to trust it). */
export async function* decryptFile(vault: OpenedVault, record: PackageRecord, name: string, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  const file = fileOf(record, name);
  let dataKey: Buffer;
  try {
    dataKey = unwrapDataKey(vault.master, record.id, Buffer.from(record.wrappedKey, 'base64'));
  } catch (error) {
    throw VaultError.tampered(file.name, error);
  }
  let handle;
  try {
    handle = await vault.fs.openRead(blobPath(vault, file.blobId));
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

/** The whole decrypted file, refused over `maxBytes` (Vault.readFileBytes). */
export async function readFileBytes(vault: OpenedVault, record: PackageRecord, name: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  const file = fileOf(record, name);
  if (file.size > maxBytes) throw VaultError.tooLarge(file.name, maxBytes);
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of decryptFile(vault, record, name, signal)) {
    total += chunk.length;
    if (total > maxBytes) throw VaultError.tampered(file.name);
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}
