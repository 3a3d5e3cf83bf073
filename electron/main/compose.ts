// The composition root: builds the core services with their dependencies injected and registers every
// IPC channel. No 'electron' import: main/index.ts passes Electron adapters, the tests pass Node ones.
import { AppFailure, type DeepLink } from '../contract/index.ts';
import { openSettings, type SettingsService } from '../core/settings/settings-service.ts';
import { parseDeepLink } from '../core/deeplink/parse.ts';
import type { Clock, ExternalOpener, KeyProtector, KeyValueStore } from '../core/ports.ts';
import { createDispatcher, type Dispatcher, type EmitEvent } from './ipc.ts';
import { isAllowedExternalUrl } from './security.ts';

export interface AppDependencies {
  settingsStore: KeyValueStore;
  keyProtector: KeyProtector;
  shell: ExternalOpener;
  clock: Clock;
  emit: EmitEvent;
  runtime: 'electron' | 'bridge';
  version: string;
  isTrustedOrigin(url: URL): boolean;
  /** Origins of the platforms the person's profiles point at; deep links from any other are refused. */
  knownPlatforms(): readonly string[];
  /** Origins the system browser may be sent to (the platform and its accredited identity providers). */
  externalOrigins(): readonly string[];
  logInternal?(channel: string, error: unknown): void;
}

export interface ComposedApp {
  dispatcher: Dispatcher;
  settings: SettingsService;
  /** Routes a raw deep link: validated, then queued for the renderer and announced as an event. */
  receiveDeepLink(raw: string): DeepLink | null;
  /** Opens a URL in the system browser only if its origin is allowlisted. */
  openExternal(url: string): Promise<void>;
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
  const settings = openSettings({ store: deps.settingsStore, onChange: (s) => deps.emit('settings:changed', s) });
  const dispatcher = createDispatcher({
    isTrustedOrigin: (url) => deps.isTrustedOrigin(url),
    logInternal: (channel, error) => deps.logInternal?.(channel, error),
  });
  const pendingLinks: DeepLink[] = [];

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

  return {
    dispatcher,
    settings,
    receiveDeepLink(raw) {
      try {
        const link = parseDeepLink(raw, deps.knownPlatforms());
        pendingLinks.push(link);
        deps.emit('deeplink:received', link);
        return link;
      } catch (error) {
        if (!(error instanceof AppFailure)) throw error;
        deps.emit('deeplink:rejected', error.toAppError());
        return null;
      }
    },
    async openExternal(url) {
      if (!isAllowedExternalUrl(url, deps.externalOrigins())) throw ExternalError.refused();
      await deps.shell.open(url);
    },
  };
}
