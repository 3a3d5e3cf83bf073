// The composition root: builds the core services with their dependencies injected and registers every
// IPC channel. No 'electron' import: main/index.ts passes Electron adapters, the tests pass Node ones.
import { AppFailure, type DeepLink } from '../contract/index.ts';
import { IdentityService } from '../core/identity/index.ts';
import { CATALOGUE_KEY_PURPOSE, PlatformCatalogue } from '../core/platform/catalogue.ts';
import { localStores, type LocalStores } from '../core/stores.ts';
import { openSettings, type SettingsService } from '../core/settings/settings-service.ts';
import { parseDeepLink } from '../core/deeplink/parse.ts';
import type { Clock, ExternalOpener, KeyProtector, KeyValueStore } from '../core/ports.ts';
import { registerDirectory } from './features/directory.ts';
import type { FeatureContext } from './features/context.ts';
import { registerIdentity } from './features/identity.ts';
import { registerMyData, type FileDialogs } from './features/mydata.ts';
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
  /** The platform the profile points at: the embedded sandbox's URL in the sandbox profile. */
  platformUrl: string;
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
}

export interface ComposedApp {
  dispatcher: Dispatcher;
  settings: SettingsService;
  identity: IdentityService;
  catalogue: PlatformCatalogue;
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
  const settings = openSettings({ store: deps.settingsStore, onChange: (s) => emit('settings:changed', s) });
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
    const allowed = allowedExternalHref(href, [platformOrigin]) !== null || (await identity.isAccreditedAuthorizationUrl(href)) || (consent?.takeArmedReturn(href) ?? false);
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
  const ctx: FeatureContext = { dispatcher, emit, clock, settings, profileDir: deps.profileDir, stores, identity, catalogue, openExternal };

  dispatcher.handle('app:info', () => ({
    name: 'MyData Desktop',
    version: deps.version,
    profile: settings.get().profile,
    platformName:
      settings.get().profile === 'sandbox'
        ? { zh: '內建沙盒平臺（合成資料）', en: 'Embedded sandbox platform (synthetic data)' }
        : { zh: 'MyData 平臺', en: 'MyData platform' },
    runtime: deps.runtime,
  }));
  dispatcher.handle('settings:get', () => settings.get());
  dispatcher.handle('settings:update', (patch) => settings.update(patch));
  dispatcher.handle('deeplink:pending', () => pendingLinks.splice(0, pendingLinks.length));
  registerDirectory(ctx, catalogue);
  registerIdentity(ctx, identity);
  const mydata = registerMyData(ctx, deps.fileDialogs ?? null);
  registerHistory(ctx, deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {});
  consent = registerConsent(ctx, deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {});
  const updates = deps.updates ?? createUpdateFlow({ updater: null, checksEnabled: () => false, emit: () => undefined });
  dispatcher.handle('update:state', () => updates.state());
  dispatcher.handle('update:restart', () => {
    updates.restartToInstall();
    return {};
  });
  registerDatasets(ctx, deps.chooseSavePath ? { chooseSavePath: deps.chooseSavePath } : {});

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
      identity.dispose();
      void stores.close();
    },
  };
}
