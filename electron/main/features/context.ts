// What every feature's registration receives from the composition root.
import type { SettingsService } from '../../core/settings/settings-service.ts';
import type { Clock } from '../../core/ports.ts';
import type { LocalStores } from '../../core/stores.ts';
import type { IdentityService } from '../../core/identity/index.ts';
import type { PlatformCatalogue } from '../../core/platform/catalogue.ts';
import type { Dispatcher, EmitEvent } from '../ipc.ts';

export interface FeatureContext {
  dispatcher: Dispatcher;
  emit: EmitEvent;
  clock: Clock;
  settings: SettingsService;
  /** The profile folder: settings, the platform directory's last copy, the vault, the history. */
  profileDir: string;
  /** The vault and the history, opened on first use. */
  stores: LocalStores;
  /** The platform's identity client and directory; null in the official profile, which has no platform API. */
  identity: IdentityService | null;
  catalogue: PlatformCatalogue | null;
  /** Opens an allowlisted URL in the system browser (the platform, accredited IdPs, a provider's registered return address). */
  openExternal(url: string): Promise<void>;
}

/** The context of features that need a platform API (every profile but the official one). */
export type PlatformFeatureContext = FeatureContext & { identity: IdentityService; catalogue: PlatformCatalogue };
