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
  /** Replaces the key protector (a passphrase the person chose) and reopens on next get(). */
  useProtector(protector: KeyProtector): void;
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

  async function open(): Promise<OpenStores> {
    // The profile and its stores' folders are the owner's only, including ones an older version made readable.
    for (const dir of [options.profileDir, join(options.profileDir, 'vault'), join(options.profileDir, 'receipts')]) await ensurePrivateDir(dir);
    const vault = await openVault({ dir: join(options.profileDir, 'vault'), protector, clock: options.clock });
    try {
      const history = await HistoryLog.open({
        dir: join(options.profileDir, 'history'),
        key: vault.deriveKey('history'),
        clock: options.clock,
        retentionYears: options.retentionYears(),
      });
      return { vault, history };
    } catch (error) {
      vault.close();
      throw error;
    }
  }

  return {
    get() {
      opening ??= open().catch((error: unknown) => {
        opening = null;
        throw error;
      });
      return opening;
    },
    useProtector(next) {
      protector = next;
      opening = null;
    },
    async close() {
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
    },
  };
}
