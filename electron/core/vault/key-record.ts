// The vault's key record (vault.key): the master key sealed by the OS or a passphrase, with a key check that tells a wrong key from a damaged index; created once, atomically, and never over data sealed with a lost key.
import { join } from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../contract/errors.ts';
import type { Clock, KeyProtector } from '../ports.ts';
import { VaultError, ioFailure } from './errors.ts';
import { nodeVaultFs, writeFileAtomic, type VaultFs } from './fsio.ts';
import { generateKey, isPassphraseProtector, keyCheck, keyCheckMatches } from './keys.ts';
import { VAULT_FORMAT_VERSION } from './model.ts';

export const KEY_FILE = 'vault.key';

const KeyRecordSchema = z.object({
  format: z.literal('mydata-desktop-vault'),
  version: z.number().int(),
  protection: z.enum(['os', 'passphrase']),
  sealedMasterKey: z.base64(),
  keyCheck: z.base64(),
  createdAt: z.string(),
});
export type KeyRecord = z.infer<typeof KeyRecordSchema>;

export function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}

/** AppFailures pass through; I/O errors get named; anything else (e.g. a source stream's own error) is kept. */
export function nameFailure(error: unknown, where: 'vault' | 'export'): unknown {
  if (error instanceof AppFailure) return error;
  if (isErrno(error)) return ioFailure(error, where);
  return error;
}

/** Inspects a vault folder without unlocking it, so the UI knows whether to ask for a passphrase first. */
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

/**
 * The master key: unsealed from the key record, or, for a new vault (no key record and nothing sealed yet), made
 * and sealed now. `hasData` says whether an index or blobs exist: a new key is never minted over them.
 */
export async function unlockMasterKey(
  fs: VaultFs,
  keyPath: string,
  protector: KeyProtector,
  clock: Clock,
  hasData: boolean,
): Promise<{ master: Buffer; protection: 'os' | 'passphrase' }> {
  if (!(await fs.exists(keyPath))) {
    // Never mint a new master key over data sealed with a lost one.
    if (hasData) throw VaultError.keyRecordMissing();
    const protection = isPassphraseProtector(protector) ? 'passphrase' : 'os';
    if (protection === 'os' && !(await protector.isStrong())) throw VaultError.weakKeyProtection();
    const master = generateKey();
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
    return { master, protection };
  }
  const record = parseKeyRecord(await fs.readFile(keyPath));
  const protection = record.protection;
  if (protection === 'passphrase' && !isPassphraseProtector(protector)) throw VaultError.passphraseRequired();
  if (protection === 'os' && isPassphraseProtector(protector)) throw VaultError.keyUnavailable();
  // The keyring may have gone since creation (Linux falls back to basic_text): say so rather than fail obscurely.
  if (protection === 'os' && !(await protector.isStrong())) throw VaultError.weakKeyProtection();
  let master: Buffer;
  try {
    master = Buffer.from(await protector.unprotect(Buffer.from(record.sealedMasterKey, 'base64')));
  } catch (error) {
    throw error instanceof AppFailure ? error : VaultError.keyUnavailable(error);
  }
  if (!keyCheckMatches(master, Buffer.from(record.keyCheck, 'base64'))) throw VaultError.keyMismatch();
  return { master, protection };
}
