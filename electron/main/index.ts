// Electron adapter: lifecycle, the app:// protocol, the window, IPC registration, deep links, safeStorage.
// Everything with logic lives in compose.ts, ipc.ts, security.ts, window.ts and core; this file only wires.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, safeStorage, session, shell, type IpcMainInvokeEvent } from 'electron';
import ElectronStore from 'electron-store';
import { IPC_EVENT, IPC_INVOKE } from '../contract/index.ts';
import { findDeepLinkArg } from '../core/deeplink/parse.ts';
import type { KeyProtector, KeyValueStore } from '../core/ports.ts';
import { systemClock } from '../core/ports.ts';
import { openValidatedStore, settingsStoreOptions } from '../core/settings/store-schema.ts';
import { ensurePrivateDir } from '../core/vault/fsio.ts';
import { createAppRequestHandler } from './app-protocol.ts';
import type { FirstFrameModule } from '../contract/first-frame.ts';
import { firstFramePages } from './first-frame.ts';
import { startProfileHost, type ProfileHost } from './profile-host.ts';
import { APP_ORIGIN, createEventEmitter, isAppProtocolUrl, type SenderInfo } from './ipc.ts';
import { createMainWindow } from './window.ts';
import { createUpdateFlow } from '../core/update/flow.ts';
import { electronUpdaterPort } from './updater.ts';

const DEEP_LINK_PROTOCOL = 'mydata-desktop';
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

function electronKeyProtector(): KeyProtector {
  return {
    async isStrong() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
    },
    async protect(plain) {
      return safeStorage.encryptStringAsync(Buffer.from(plain).toString('base64'));
    },
    async unprotect(sealed) {
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed));
      return Buffer.from(result, 'base64');
    },
  };
}

function openSettingsStore(): KeyValueStore {
  const options = settingsStoreOptions();
  const open = () => new ElectronStore<Record<string, unknown>>(options);
  const { store } = openValidatedStore(open, () => {
    // Set the invalid file aside under a dated name; never delete what the person may want back.
    const path = join(app.getPath('userData'), 'settings.json');
    void import('node:fs').then((fs) => fs.renameSync(path, `${path}.invalid-${Date.now()}`));
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    get store() {
      return store.store;
    },
  };
}

function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  if (!frame) return { frameUrl: null, isTopFrame: false };
  return { frameUrl: frame.url, isTopFrame: frame.parent === null };
}

function isTrustedOrigin(url: URL): boolean {
  if (isAppProtocolUrl(url)) return true;
  return devServerUrl !== undefined && url.origin === new URL(devServerUrl).origin;
}

async function start(): Promise<void> {
  let mainWindow: BrowserWindow | null = null;
  let profiles: ProfileHost | null = null;
  const early: string[] = [];

  const route = (raw: string) => {
    if (!profiles) early.push(raw);
    else profiles.current.receiveDeepLink(raw);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  };

  // macOS delivers links through open-url, possibly before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    route(url);
  });
  app.on('second-instance', (_event, argv) => {
    const link = findDeepLinkArg(argv);
    if (link) route(link);
    else if (mainWindow) mainWindow.focus();
  });
  const startLink = findDeepLinkArg(process.argv);
  if (startLink) early.push(startLink);

  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_PROTOCOL, process.execPath, [process.argv[1]]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_PROTOCOL);
  }

  await app.whenReady();

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
  });

  // index.html comes with the home screen already in it, rendered from the active profile's answers (first-frame.ts).
  const firstFrame = firstFramePages({
    // Built beside this file from the renderer's first-frame module (electron.vite.config.ts).
    load: () => import(pathToFileURL(join(import.meta.dirname, 'first-frame.js')).href) as Promise<FirstFrameModule>,
    dispatch: (sender, channel, payload) => {
      if (!profiles) return Promise.reject(new Error('no profile is composed yet'));
      return profiles.current.dispatcher.dispatch(sender, channel, payload);
    },
    system: () => ({
      dark: nativeTheme.shouldUseDarkColors,
      forcedColors: nativeTheme.inForcedColorsMode,
      moreContrast: nativeTheme.shouldUseHighContrastColors,
    }),
    log: (error) => console.error('[first-frame]', error instanceof Error ? error.message : 'unknown error'),
  });
  const serveRenderer = createAppRequestHandler(join(import.meta.dirname, '../renderer'), { firstFrame: firstFrame.page });
  // Its code (React included) loads while the profile starts, not while the window waits.
  if (devServerUrl === undefined) firstFrame.preload();
  protocol.handle('app', (request) => serveRenderer(request));

  const emit = createEventEmitter({
    send: (event, data) => mainWindow?.webContents.send(IPC_EVENT, event, data),
  });

  // The profile folder is the owner's only (settings, vault, history, receipts, caches live in it).
  await ensurePrivateDir(app.getPath('userData'));
  const settingsStore = openSettingsStore();
  // Updates only in the packaged app; checked at start unless Settings turned them off (updateChecks, default on).
  const updates = app.isPackaged
    ? createUpdateFlow({
        updater: await electronUpdaterPort(),
        checksEnabled: () => settingsStore.get('updateChecks') !== false,
        emit: (state) => emit('update:state', state),
        log: (error) => console.error('[update]', error instanceof Error ? error.message : 'unknown error'),
      })
    : undefined;
  const userDataDir = app.getPath('userData');
  // MYDATA_PLATFORM_URL is for tests only (a stub platform or a closed port); a packaged build ignores it.
  const override = !app.isPackaged ? process.env['MYDATA_PLATFORM_URL'] : undefined;
  // Each profile is composed in its own folder under userData/profiles; the demo runs the embedded sandbox
  // in-process on 127.0.0.1 with its CA and keys in the demo profile's folder (profile-host.ts).
  profiles = await startProfileHost({
    ...(updates ? { updates } : {}),
    settingsStore,
    userDataDir,
    packaged: app.isPackaged,
    // The demo's platform (oidc-provider and all) is a chunk of its own, loaded only when the demo profile starts,
    // never on the way to the window.
    startDemoPlatform: async (stateDir) => (await import('../sandbox/index.ts')).startSandbox({ stateDir }),
    ...(override !== undefined && override !== '' ? { platformUrlOverride: override } : {}),
    onSwitched: () => {
      // A new profile: the window starts over, so no screen keeps anything of the previous profile.
      mainWindow?.webContents.reload();
    },
    downloadsFolder: {
      osDefault: app.getPath('downloads'),
      choose: async () => {
        const options: Electron.OpenDialogOptions = { defaultPath: app.getPath('downloads'), properties: ['openDirectory'] };
        const answer = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return answer.canceled ? null : (answer.filePaths[0] ?? null);
      },
    },
    keyProtector: electronKeyProtector(),
    shell: { open: (url) => shell.openExternal(url) },
    clock: systemClock,
    emit,
    runtime: 'electron',
    version: app.getVersion(),
    isTrustedOrigin,
    focusApp: () => {
      if (!mainWindow) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    },
    chooseSavePath: async ({ defaultName, filters }) => {
      const options = { defaultPath: join(app.getPath('documents'), defaultName), filters };
      const answer = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return answer.canceled || !answer.filePath ? null : answer.filePath;
    },
    fileDialogs: {
      chooseFolder: async () => {
        const options: Electron.OpenDialogOptions = { defaultPath: app.getPath('documents'), properties: ['openDirectory', 'createDirectory'] };
        const answer = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return answer.canceled ? null : (answer.filePaths[0] ?? null);
      },
      chooseFile: async () => {
        const options: Electron.OpenDialogOptions = { defaultPath: app.getPath('downloads'), properties: ['openFile'], filters: [{ name: 'MyData (.zip, .pdf, .csv, .json)', extensions: ['zip', 'pdf', 'csv', 'json'] }] };
        const answer = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return answer.canceled ? null : (answer.filePaths[0] ?? null);
      },
    },
    logInternal: (channel, error) => console.error(`[ipc] ${channel}:`, error instanceof Error ? error.message : 'unknown error'),
    downloadsDir: app.getPath('downloads'),
  });
  const host = profiles;
  // The active profile's dispatcher, looked up per call: a profile switch replaces it.
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) => host.current.dispatcher.dispatch(senderInfo(event), channel, payload));

  // The first frame is rendered while the window's process starts, not after it asks for the page.
  if (devServerUrl === undefined) firstFrame.prepare(readFile(join(import.meta.dirname, '../renderer/index.html'), 'utf8'), `${APP_ORIGIN}/index.html`);
  mainWindow = createMainWindow(BrowserWindow, {
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    startUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    title: 'MyData Desktop',
    backgroundColor: '#ffffff',
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  for (const raw of early.splice(0)) host.current.receiveDeepLink(raw);
  void updates?.checkOnStart();

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void host.dispose();
  });
}
