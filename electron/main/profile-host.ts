// The profile host: owns the app-wide settings and composes the app for the active profile in that profile's own
// folder, starting the embedded sandbox only for the demo. A profile switch disposes the old composition (stores
// closed, sandbox stopped) before the new one exists, so nothing of one profile is reachable from another.
import { join } from 'node:path';
import type { ProfileChoice, Settings } from '../contract/index.ts';
import { moveLegacyLayout, profileFolder } from '../core/settings/profiles.ts';
import { openSettings, type SettingsService } from '../core/settings/settings-service.ts';
import { composeApp, type AppDependencies, type ComposedApp } from './compose.ts';

export interface DemoPlatform {
  platform: string;
  stop(): Promise<void>;
}

export interface ProfileHostOptions extends Omit<AppDependencies, 'profileDir' | 'platformUrl' | 'settings' | 'profiles'> {
  /** The app's data folder; each profile lives in `profiles/<name>` under it, app-wide settings at its top. */
  userDataDir: string;
  /** Starts the embedded sandbox (the demo's platform) with its state (CA, keys) in the given folder. */
  startDemoPlatform(stateDir: string): Promise<DemoPlatform>;
  /**
   * Tests only (MYDATA_PLATFORM_URL): the platform every non-official profile talks to instead of its own, so a test can
   * point the app at a stub or a closed port. Never set in a packaged build.
   */
  platformUrlOverride?: string;
  /** Called after a switch, once the new profile answers: main reloads the window so no screen keeps old state. */
  onSwitched?(composed: ComposedApp): void;
}

export interface ProfileHost {
  /** The composition of the active profile (replaced on a switch: read it on every use). */
  readonly current: ComposedApp;
  readonly settings: SettingsService;
  /** The active profile's folder. */
  readonly profileDir: string;
  dispose(): Promise<void>;
}

export async function startProfileHost(options: ProfileHostOptions): Promise<ProfileHost> {
  const { settingsStore, userDataDir } = options;
  // Read before the settings migration renames the profile: the old layout's data belongs to the old profile name.
  const storedVersion = settingsStore.get('schemaVersion');
  if (typeof storedVersion !== 'number' || storedVersion < 2) moveLegacyLayout(userDataDir, settingsStore.get('profile'));
  const settings = openSettings({ store: settingsStore, onChange: (s) => options.emit('settings:changed', s) });

  let demo: DemoPlatform | null = null;
  let current: ComposedApp;
  let profileDir: string;
  // Switches run one at a time, in the order asked.
  let queue: Promise<unknown> = Promise.resolve();

  async function compose(active: Settings): Promise<void> {
    profileDir = profileFolder(userDataDir, active);
    let platformUrl: string | null = null;
    if (active.profile !== 'official') {
      if (options.platformUrlOverride !== undefined) platformUrl = options.platformUrlOverride;
      else if (active.profile === 'demo') platformUrl = (demo = await options.startDemoPlatform(join(profileDir, 'sandbox'))).platform;
      else platformUrl = active.platformUrl;
    }
    current = composeApp({ ...options, settings, profileDir, platformUrl, profiles: { choose } });
  }

  async function close(): Promise<void> {
    // Downloads are suspended (to resume in this profile later) before its stores close.
    current.dispose();
    await current.stores.close();
    const running = demo;
    demo = null;
    await running?.stop();
  }

  function choose(choice: ProfileChoice): Promise<Settings> {
    const run = queue.then(async () => {
      const before = settings.get();
      const after = settings.choose(choice);
      if (before.profile === after.profile && before.platformUrl === after.platformUrl) return after;
      await close();
      await compose(after);
      options.onSwitched?.(current);
      return after;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  await compose(settings.get());
  return {
    get current() {
      return current;
    },
    settings,
    get profileDir() {
      return profileDir;
    },
    dispose: () => close(),
  };
}
