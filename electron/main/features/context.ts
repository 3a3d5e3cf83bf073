// What every feature's registration receives from the composition root.
import type { SettingsService } from '../../core/settings/settings-service.ts';
import type { Clock } from '../../core/ports.ts';
import type { Dispatcher, EmitEvent } from '../ipc.ts';

export interface FeatureContext {
  dispatcher: Dispatcher;
  emit: EmitEvent;
  clock: Clock;
  settings: SettingsService;
  /** The profile folder: settings, the platform directory's last copy, the vault, the history. */
  profileDir: string;
}
