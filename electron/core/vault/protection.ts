// What guards the vault's master key (the OS keychain or a passphrase) as a small state machine: a passphrase is taken
// only in the state that asks for one, and the protection changes only by the person's choice in Settings, after
// unlocking with the current protection again. A call in the wrong state is refused before any store is touched.
import { join } from 'node:path';
import { AppFailure } from '../../contract/errors.ts';
import type { VaultProtectionChange, VaultProtectionInfo, VaultStatus } from '../../contract/index.ts';
import type { KeyProtector } from '../ports.ts';
import type { LocalStores } from '../stores.ts';
import { VaultError, VaultErrorCode } from './errors.ts';
import { nodeVaultFs, writeFileAtomic, type VaultFs } from './fsio.ts';
import { createPassphraseProtector, isPassphraseProtector, keyCheckMatches, MIN_PASSPHRASE_CHARS, type PassphraseOptions } from './keys.ts';
import { inspectVault, KEY_FILE, parseKeyRecord, type KeyRecord } from './vault.ts';

export interface VaultProtectionOptions {
  stores: LocalStores;
  /** The vault folder (profile/vault). */
  dir: string;
  /** scrypt cost for new passphrases (tests lower it). */
  passphrase?: PassphraseOptions;
  fs?: VaultFs;
}

/** Which passphrase, if any, the vault is waiting for now. */
type Expecting = 'new' | 'existing' | null;

function protectionOf(protector: KeyProtector): KeyRecord['protection'] {
  return isPassphraseProtector(protector) ? 'passphrase' : 'os';
}

/**
 * Reseals the master key under `next`, after unsealing it with `current` (the re-authentication) and checking it
 * belongs to this vault; the new record is proven to open before it replaces the old one, atomically.
 */
export async function resealMasterKey(dir: string, current: KeyProtector, next: KeyProtector, fs: VaultFs = nodeVaultFs): Promise<{ master: Uint8Array; sealed: Uint8Array }> {
  const path = join(dir, KEY_FILE);
  const record = parseKeyRecord(await fs.readFile(path));
  if (record.protection !== protectionOf(current)) throw record.protection === 'passphrase' ? VaultError.reauthRequired() : VaultError.keyUnavailable();
  let master: Uint8Array;
  try {
    master = await current.unprotect(Buffer.from(record.sealedMasterKey, 'base64'));
  } catch (error) {
    throw error instanceof AppFailure ? error : VaultError.keyUnavailable(error);
  }
  if (!keyCheckMatches(master, Buffer.from(record.keyCheck, 'base64'))) throw VaultError.keyMismatch();
  let sealed: Uint8Array;
  try {
    sealed = await next.protect(master);
    // Never write a record the new protection could not open again: that would lock the person out.
    if (!Buffer.from(await next.unprotect(sealed)).equals(Buffer.from(master))) throw new Error('resealed key does not open');
  } catch (error) {
    throw error instanceof AppFailure ? error : VaultError.keyUnavailable(error);
  }
  const updated: KeyRecord = { ...record, protection: protectionOf(next), sealedMasterKey: Buffer.from(sealed).toString('base64') };
  await writeFileAtomic(fs, path, Buffer.from(JSON.stringify(updated, null, 2), 'utf8'));
  return { master, sealed };
}

/**
 * `next`, answering the one sealed value just proven to open with the key it holds: reopening the stores right after
 * a reseal then costs no third scrypt (or keychain prompt). Anything else goes to `next` itself.
 */
function justResealed(next: KeyProtector, resealed: { master: Uint8Array; sealed: Uint8Array }): KeyProtector {
  const sealed = Buffer.from(resealed.sealed);
  return {
    ...next,
    isStrong: () => next.isStrong(),
    protect: (plain) => next.protect(plain),
    unprotect: (value) => (sealed.equals(Buffer.from(value)) ? Promise.resolve(Uint8Array.from(resealed.master)) : next.unprotect(value)),
  };
}

export class VaultProtection {
  readonly #stores: LocalStores;
  readonly #dir: string;
  readonly #passphrase: PassphraseOptions;
  readonly #fs: VaultFs;
  /** One unlock or change at a time, so two windows of a check and a write never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: VaultProtectionOptions) {
    this.#stores = options.stores;
    this.#dir = options.dir;
    this.#passphrase = options.passphrase ?? {};
    this.#fs = options.fs ?? nodeVaultFs;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Whether the vault is open, or what it needs first (Linux without a keyring: a passphrase). */
  async status(): Promise<VaultStatus> {
    try {
      const { vault } = await this.#stores.get();
      return { state: 'ready', protection: vault.protection };
    } catch (error) {
      if (!(error instanceof AppFailure)) throw error;
      const asks = [VaultErrorCode.PASSPHRASE_REQUIRED, VaultErrorCode.WRONG_PASSPHRASE, VaultErrorCode.WEAK_KEY_PROTECTION] as string[];
      if (asks.includes(error.code)) {
        const expecting = await this.#expecting();
        if (expecting === 'existing') return { state: 'needs-passphrase' };
        if (expecting === 'new') return { state: 'needs-new-passphrase', minLength: MIN_PASSPHRASE_CHARS };
      }
      // A vault sealed by a keyring that has gone cannot be opened with a passphrase: say so instead of offering one.
      return { state: 'error', error: error.toAppError() };
    }
  }

  /** Reads only: a passphrase-protected vault that is not open, or no vault and no real keychain. */
  async #expecting(): Promise<Expecting> {
    if (await this.#stores.openNow()) return null;
    const existing = await inspectVault(this.#dir, this.#fs);
    if (existing.exists) return existing.protection === 'passphrase' ? 'existing' : null;
    return (await this.#stores.systemProtector.isStrong()) ? null : 'new';
  }

  /**
   * The passphrase the vault asked for (to set a first one, or to unlock). In any other state it is refused with
   * VAULT_PASSPHRASE_NOT_EXPECTED and nothing is read with it or written; a wrong one leaves the protector as it was.
   */
  usePassphrase(passphrase: string): Promise<VaultStatus> {
    return this.#serial(async () => {
      if ((await this.#expecting()) === null) throw VaultError.passphraseNotExpected();
      const candidate = createPassphraseProtector(passphrase, this.#passphrase);
      try {
        const { vault } = await this.#stores.unlock(candidate);
        return { state: 'ready', protection: vault.protection };
      } catch (error) {
        if (error instanceof AppFailure && error.code === VaultErrorCode.WRONG_PASSPHRASE) throw error;
        if (error instanceof AppFailure) return { state: 'error', error: error.toAppError() };
        throw error;
      }
    });
  }

  /** For the Settings section: the protection in use (null while the vault is not open) and what it could switch to. */
  async info(): Promise<VaultProtectionInfo> {
    const open = await this.#stores.openNow();
    return {
      protection: open ? open.vault.protection : null,
      keychainAvailable: await this.#stores.systemProtector.isStrong(),
      minLength: MIN_PASSPHRASE_CHARS,
    };
  }

  /**
   * Switches the protection, as the person chose in Settings: only with the vault open, and only after unlocking the
   * sealed key again with the current protection (the keychain, or the current passphrase). The master key stays the
   * same, so nothing else in the profile changes.
   */
  change(request: VaultProtectionChange): Promise<VaultStatus> {
    return this.#serial(async () => {
      const open = await this.#stores.openNow();
      if (!open) throw VaultError.protectionLocked();
      const from = open.vault.protection;
      const system = this.#stores.systemProtector;
      let current: KeyProtector;
      if (from === 'os') {
        current = system;
      } else {
        if (request.current === undefined) throw VaultError.reauthRequired();
        current = this.#currentPassphrase(request.current);
      }
      let next: KeyProtector;
      if (request.to === 'os') {
        if (from === 'os') throw VaultError.protectionUnchanged();
        if (!(await system.isStrong())) throw VaultError.weakKeyProtection();
        next = system;
      } else {
        next = createPassphraseProtector(request.passphrase, this.#passphrase);
      }
      const resealed = await resealMasterKey(this.#dir, current, next, this.#fs);
      const { vault } = await this.#stores.reopenWith(justResealed(next, resealed));
      return { state: 'ready', protection: vault.protection };
    });
  }

  /** A typed current passphrase too short to be one is simply wrong (not "too weak": it is not being set). */
  #currentPassphrase(passphrase: string): KeyProtector {
    try {
      return createPassphraseProtector(passphrase, this.#passphrase);
    } catch (error) {
      if (error instanceof AppFailure && error.code === VaultErrorCode.WEAK_PASSPHRASE) throw VaultError.wrongPassphrase();
      throw error;
    }
  }
}
