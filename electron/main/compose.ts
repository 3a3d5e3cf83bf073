// The composition root: builds the core services with their dependencies injected and registers every
// IPC channel. No 'electron' import: main/index.ts passes Electron adapters, the tests pass Node ones.
import { AppFailure, directoryChannels, directoryScreenChannels, identityChannels, consentChannels, type DeepLink, type ProfileChoice, type Settings } from '../contract/index.ts';
import { ProfileError } from '../core/settings/profiles.ts';
import { checkPlatformUrl } from '../core/settings/platform-check.ts';
import { IdentityService } from '../core/identity/index.ts';
import { CATALOGUE_KEY_PURPOSE, PlatformCatalogue } from '../core/platform/catalogue.ts';
import { localStores, type LocalStores } from '../core/stores.ts';
import { openSettings, type SettingsService } from '../core/settings/settings-service.ts';
import { parseDeepLink } from '../core/deeplink/parse.ts';
import type { Clock, ExternalOpener, KeyProtector, KeyValueStore } from '../core/ports.ts';
import { registerDirectory } from './features/directory.ts';
import type { FeatureContext, PlatformFeatureContext } from './features/context.ts';
import { registerIdentity } from './features/identity.ts';
import { registerMyData, type FileDialogs } from './features/mydata.ts';
import { registerJourney, type JourneyDeps } from './features/journey.ts';
import { OFFICIAL_WEBSITE, type JourneyService } from '../core/mydata/journey.ts';
import type { MyDataService } from '../core/mydata/service.ts';
import { registerHistory, type ChooseSavePath } from './features/history.ts';
import { registerConsent, type ConsentFeature } from './features/consent.ts';
import { registerDatasets } from './features/datasets.ts';
import { createDispatcher, type Dispatcher, type EmitEvent } from './ipc.ts';
import { createUpdateFlow, type UpdateFlow } from '../core/update/flow.ts';
import { allowedExternalHref, parseExternalUrl } from './security.ts';

export interface AppDependencies {
  settingsStore: KeyValueStore;
  keyProtector: KeyProtector;
  shell: ExternalOpener;
  clock: Clock;
  emit: EmitEvent;
  runtime: 'electron' | 'bridge';
  version: string;
  /** The profile folder (the platform directory's last copy, the vault, the history). */
  profileDir: string;
  /** The platform the profile points at (the embedded sandbox's URL in the demo profile); null in the official
   * profile, which has no platform API: it composes without a platform client. */
  platformUrl: string | null;
  /** The settings service when the caller (the profile host) shares one across compositions; else opened here. */
  settings?: SettingsService;
  /** A packaged build (asks for a profile on first start; no loopback http platforms). Default false. */
  packaged?: boolean;
  /** Profile switching (the profile host); without it a choice is stored and applies from the next start. */
  profiles?: ProfileControl;
  /** The downloads folder to watch: the OS's default and main's folder picker. */
  downloadsFolder?: { osDefault: string; choose(): Promise<string | null> };
  isTrustedOrigin(url: URL): boolean;
  /** Brings the app's window to the front (after the browser part of a verification). */
  focusApp?(): void;
  /** Loopback timeout for verifications (10 minutes unless a test shortens it). */
  loopbackTimeoutMs?: number;
  logInternal?(channel: string, error: unknown): void;
  /** Folder and file pickers for export and import (main: Electron's dialog; e2e: a stub). Absent: exports go to the profile, import is off. */
  fileDialogs?: FileDialogs;
  /** Asks where to save an export (main: Electron's save dialog); null when cancelled. Absent: the profile's exports/ folder. */
  chooseSavePath?: ChooseSavePath;
  /** App updates (main: electron-updater in the packaged app). Absent: updates are off ("not packaged"). */
  updates?: UpdateFlow;
  /** The OS's downloads folder, watched by the "get my data from MyData" journey (main: app.getPath('downloads')). */
  downloadsDir?: string;
  /** For tests: the journey's waits. */
  journeyTiming?: JourneyDeps['timing'];
}

export interface ProfileControl {
  choose(choice: ProfileChoice): Promise<Settings>;
}

export interface ComposedApp {
  dispatcher: Dispatcher;
  settings: SettingsService;
  /** The platform's identity client and directory; null in the official profile (no platform API). */
  identity: IdentityService | null;
  catalogue: PlatformCatalogue | null;
  stores: LocalStores;
  /** Routes a raw deep link: validated, then queued for the renderer and announced as an event. */
  receiveDeepLink(raw: string): DeepLink | null;
  /** Opens a URL in the system browser only if its origin is allowlisted. */
  openExternal(url: string): Promise<void>;
  dispose(): void;
}

export const ExternalError = {
  refused: () =>
    new AppFailure({
      code: 'EXTERNAL_URL_REFUSED',
      message_zh: '這個網址不在允許開啟的清單上，因此未開啟瀏覽器。若您認為這是錯誤，請回報問題。',
      message_en: 'This address is not on the list the app may open, so the browser was not opened. Report a problem if you think this is wrong.',
      retryable: false,
    }),
};

export function composeApp(deps: AppDependencies): ComposedApp {
  const { emit, clock } = deps;
  const settings = deps.settings ?? openSettings({ store: deps.settingsStore, onChange: (s) => emit('settings:changed', s) });
  if (deps.platformUrl === null) return composeWithoutPlatform(deps, settings);
  const dispatcher = createDispatcher({
    isTrustedOrigin: (url) => deps.isTrustedOrigin(url),
    logInternal: (channel, error) => deps.logInternal?.(channel, error),
  });
  const platformOrigin = new URL(deps.platformUrl).origin;
  const pendingLinks: DeepLink[] = [];

  let consent: ConsentFeature | null = null;
  const catalogue = new PlatformCatalogue({
    platform: platformOrigin,
    cacheDir: deps.profileDir,
    clock,
    // The offline copy is sealed with a vault subkey; while the vault cannot open (locked, no keyring) there is no
    // copy to write or trust, and the vault's own screen reports why.
    sealKey: () => stores.get().then(({ vault }) => vault.deriveKey(CATALOGUE_KEY_PURPOSE), () => null),
  });

  /** The platform's own pages, plus the accredited IdPs' authorization endpoints (checked by identity). */
  async function openExternal(raw: string): Promise<void> {
    // Checked and opened as the one parsed, normalised href: the browser never gets a string it could read differently.
    const url = parseExternalUrl(raw);
    if (url === null) throw ExternalError.refused();
    const href = url.href;
    // A provider's return address passes only while consent:open-return opens it, after its registered-origin check (G5).
    // The official website too: the journey opens it in the person's own browser (it is never scraped or automated).
    const allowed = allowedExternalHref(href, [platformOrigin, new URL(OFFICIAL_WEBSITE).origin]) !== null || (await identity.isAccreditedAuthorizationUrl(href)) || (consent?.takeArmedReturn(href) ?? false);
    if (!allowed) throw ExternalError.refused();
    await deps.shell.open(href);
  }

  const identity: IdentityService = new IdentityService({
    platformUrl: platformOrigin,
    openBrowser: openExternal,
    clock,
    ...(deps.loopbackTimeoutMs !== undefined ? { loopbackTimeoutMs: deps.loopbackTimeoutMs } : {}),
    onSessionChange: (session) => {
      emit('identity:changed', session);
      // Deliveries to service providers that an earlier run of the app did not see finish get their history now (G14).
      if (session !== null) void consent?.service.resumeDeliveries().catch((error: unknown) => deps.logInternal?.('consent:resume', error));
    },
    onResult: (transactionId, outcome) => {
      if (outcome.ok) {
        emit('identity:result', { ok: true, transactionId, session: outcome.session });
        deps.focusApp?.();
      } else {
        emit('identity:result', { ok: false, transactionId, error: outcome.failure.toAppError() });
      }
    },
  });

  const stores = localStores({
    profileDir: deps.profileDir,
    protector: deps.keyProtector,
    clock,
    retentionYears: () => settings.get().historyRetentionYears,
  });
  const ctx: PlatformFeatureContext = { dispatcher, emit, clock, settings, profileDir: deps.profileDir, stores, identity, catalogue, openExternal };

  registerAppChannels(deps, dispatcher, settings, platformOrigin);
  dispatcher.handle('deeplink:pending', () => pendingLinks.splice(0, pendingLinks.length));
  registerDirectory(ctx, catalogue);
  registerIdentity(ctx, identity);
  const { mydata, journey } = registerLocalFeatures(ctx, deps, platformOrigin);
  consent = registerConsent(ctx, deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {});

  return {
    dispatcher,
    settings,
    identity,
    catalogue,
    stores,
    receiveDeepLink(raw) {
      try {
        const link = parseDeepLink(raw, [platformOrigin]);
        pendingLinks.push(link);
        emit('deeplink:received', link);
        return link;
      } catch (error) {
        if (!(error instanceof AppFailure)) throw error;
        emit('deeplink:rejected', error.toAppError());
        return null;
      }
    },
    openExternal,
    dispose() {
      void mydata.suspendDownloads();
      journey.dispose();
      identity.dispose();
      void stores.close();
    },
  };
}

/**
 * Features that work on the person's own data without a platform (the vault, imports, the history): registered in
 * every profile, the official one included. A feature that needs a platform API is registered in composeApp only,
 * and its channels must answer PROFILE_NO_PLATFORM in composeWithoutPlatform.
 */
function registerLocalFeatures(ctx: FeatureContext, deps: AppDependencies, platformOrigin: string | null): { mydata: MyDataService; journey: JourneyService } {
  const mydata = registerMyData(ctx, deps.fileDialogs ?? null);
  const journey = registerJourney(ctx, mydata, {
    downloadsDir: deps.downloadsDir ?? '',
    platformOrigin,
    ...(deps.journeyTiming === undefined ? {} : { timing: deps.journeyTiming }),
  });
  registerHistory(ctx, deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {});
  registerDatasets(ctx, deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {});
  // Updates are app-wide (one flow for every profile's composition).
  const updates = deps.updates ?? createUpdateFlow({ updater: null, checksEnabled: () => false, emit: () => undefined });
  ctx.dispatcher.handle('update:state', () => updates.state());
  ctx.dispatcher.handle('update:restart', () => {
    updates.restartToInstall();
    return {};
  });
  return { mydata, journey };
}

/** The shell's channels, the same in every profile: app:info, settings, the profile choice, the downloads folder. */
function registerAppChannels(deps: AppDependencies, dispatcher: Dispatcher, settings: SettingsService, platformOrigin: string | null): void {
  const allowLoopbackHttp = deps.packaged !== true;
  dispatcher.handle('app:info', () => {
    const current = settings.get();
    return {
      name: 'MyData Desktop',
      version: deps.version,
      profile: current.profile,
      platformName: PLATFORM_NAMES[current.profile],
      platformUrl: platformOrigin,
      needsProfileChoice: deps.packaged === true && !current.profileChosen,
      runtime: deps.runtime,
    };
  });
  dispatcher.handle('settings:get', () => settings.get());
  dispatcher.handle('settings:update', (patch) => settings.update(patch));
  dispatcher.handle('profile:check-platform', ({ url }) => checkPlatformUrl(url, { allowLoopbackHttp }));
  dispatcher.handle('profile:choose', async (choice) => {
    // A platform is checked again here, whatever the screen checked before: only a working platform is stored.
    const checked = choice.profile === 'platform' ? { ...choice, platformUrl: (await checkPlatformUrl(choice.platformUrl, { allowLoopbackHttp })).origin } : choice;
    return deps.profiles ? deps.profiles.choose(checked) : settings.choose(checked);
  });
  const osDefault = deps.downloadsFolder?.osDefault ?? '';
  dispatcher.handle('settings:downloads-folder', () => ({ chosen: settings.get().downloadsFolder, osDefault }));
  dispatcher.handle('settings:choose-downloads-folder', async () => {
    const folder = (await deps.downloadsFolder?.choose()) ?? null;
    if (folder !== null) settings.useDownloadsFolder(folder);
    return { chosen: settings.get().downloadsFolder, osDefault };
  });
}

const PLATFORM_NAMES: Record<Settings['profile'], { zh: string; en: string }> = {
  official: { zh: '官方 MyData 服務（匯入官網下載的資料）', en: 'Official MyData service (importing downloads from its website)' },
  demo: { zh: '示範：內建沙盒平臺（合成人物與資料）', en: 'Demo: embedded sandbox platform (synthetic people and data)' },
  platform: { zh: '其他 MyData 平臺', en: 'Another MyData platform' },
};

/**
 * The official profile: the official MyData service has no public API, so there is no catalogue, no identity client
 * and no consent flow here; their channels answer PROFILE_NO_PLATFORM (the screens say so), while the local vault,
 * the history and importing what the person downloads from the official website work as in every profile.
 */
function composeWithoutPlatform(deps: AppDependencies, settings: SettingsService): ComposedApp {
  const { emit, clock } = deps;
  const dispatcher = createDispatcher({
    isTrustedOrigin: (url) => deps.isTrustedOrigin(url),
    logInternal: (channel, error) => deps.logInternal?.(channel, error),
  });
  const stores = localStores({ profileDir: deps.profileDir, protector: deps.keyProtector, clock, retentionYears: () => settings.get().historyRetentionYears });
  const noPlatform = (): never => {
    throw ProfileError.noPlatform();
  };
  /** Only the official website, which the journey opens in the person's own browser (never scraped or automated). */
  async function openExternal(raw: string): Promise<void> {
    const href = allowedExternalHref(raw, [new URL(OFFICIAL_WEBSITE).origin]);
    if (href === null) throw ExternalError.refused();
    await deps.shell.open(href);
  }
  const ctx: FeatureContext = { dispatcher, emit, clock, settings, profileDir: deps.profileDir, stores, identity: null, catalogue: null, openExternal };
  registerAppChannels(deps, dispatcher, settings, null);
  // No platform sends deep links to this profile; none is ever pending.
  dispatcher.handle('deeplink:pending', () => []);
  for (const channel of Object.keys({ ...directoryChannels, ...directoryScreenChannels, ...identityChannels, ...consentChannels }) as (keyof typeof directoryChannels)[]) {
    // Nobody is signed in to a platform that is not there: the header's badge asks this on every screen.
    if ((channel as string) === 'identity:session') dispatcher.handle('identity:session' as never, (() => null) as never);
    else dispatcher.handle(channel, noPlatform);
  }
  const { mydata, journey } = registerLocalFeatures(ctx, deps, null);
  return {
    dispatcher,
    settings,
    identity: null,
    catalogue: null,
    stores,
    receiveDeepLink() {
      // A link from any platform is refused: this profile talks to none.
      emit('deeplink:rejected', ProfileError.noPlatform().toAppError());
      return null;
    },
    openExternal,
    dispose() {
      void mydata.suspendDownloads();
      journey.dispose();
      void stores.close();
    },
  };
}
