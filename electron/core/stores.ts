// The person's local stores — the encrypted vault and the history log keyed from it — opened together, once, on first use.
import { join } from 'node:path';
import { HistoryLog } from './history/log.ts';
import type { Clock, KeyProtector } from './ports.ts';
import { openVault, type Vault } from './vault/index.ts';
import { ensurePrivateDir } from './vault/fsio.ts';

export interface OpenStores {
  vault: Vault;
  history: HistoryLog;
}

export interface LocalStores {
  /** Opens the vault and the history on first call; a failure (e.g. weak key protection) is thrown and retried next call. */
  get(): Promise<OpenStores>;
  /** The OS protector the stores were made with (main's safeStorage), whatever protector is in use now. */
  readonly systemProtector: KeyProtector;
  /** The open stores, or null when they are not open (never opened, or the last attempt failed); opens nothing. */
  openNow(): Promise<OpenStores | null>;
  /** Opens closed stores with `candidate`; only when that succeeds does it become the protector in use. */
  unlock(candidate: KeyProtector): Promise<OpenStores>;
  /** Closes the open stores and opens them again with `next` (after the vault's key was resealed for it). */
  reopenWith(next: KeyProtector): Promise<OpenStores>;
  close(): Promise<void>;
}

export interface LocalStoresOptions {
  profileDir: string;
  protector: KeyProtector;
  clock: Clock;
  /** Years of history to keep (G14: at least two). */
  retentionYears(): number;
}

export function localStores(options: LocalStoresOptions): LocalStores {
  let protector = options.protector;
  let opening: Promise<OpenStores> | null = null;

  async function open(using: KeyProtector = protector): Promise<OpenStores> {
    // The profile and its stores' folders are the owner's only, including ones an older version made readable.
    for (const dir of [options.profileDir, join(options.profileDir, 'vault'), join(options.profileDir, 'receipts')]) await ensurePrivateDir(dir);
    // The high-water marks live beside, not inside, the folders they watch (integrity/mark.ts).
    const vault = await openVault({ dir: join(options.profileDir, 'vault'), protector: using, clock: options.clock, markFile: join(options.profileDir, 'vault.mark') });
    try {
      const history = await HistoryLog.open({
        dir: join(options.profileDir, 'history'),
        key: vault.deriveKey('history'),
        clock: options.clock,
        retentionYears: options.retentionYears(),
        mark: { path: join(options.profileDir, 'history.mark'), key: vault.deriveKey('history-mark') },
        // Open checks what came after the last full check; the whole chain is checked again in the background.
        seal: true,
      });
      return { vault, history };
    } catch (error) {
      vault.close();
      throw error;
    }
  }

  async function openNow(): Promise<OpenStores | null> {
    if (!opening) return null;
    try {
      return await opening;
    } catch {
      // The failed attempt was reported to its caller; the stores are simply not open.
      return null;
    }
  }

  async function close(): Promise<void> {
    const current = opening;
    opening = null;
    if (!current) return;
    try {
      const { vault, history } = await current;
      await history.close();
      vault.close();
    } catch {
      // Nothing was open.
    }
  }

  return {
    systemProtector: options.protector,
    openNow,
    async unlock(candidate) {
      if (await openNow()) throw new Error('localStores.unlock: the stores are already open');
      const attempt = open(candidate);
      const stores = await attempt;
      protector = candidate;
      opening = attempt;
      return stores;
    },
    async reopenWith(next) {
      await close();
      protector = next;
      opening = open(next).catch((error: unknown) => {
        opening = null;
        throw error;
      });
      return opening;
    },
    get() {
      opening ??= open().catch((error: unknown) => {
        opening = null;
        throw error;
      });
      return opening;
    },
    close,
  };
}
