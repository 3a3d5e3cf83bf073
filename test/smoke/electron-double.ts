// A TEST DOUBLE of the 'electron' module for the main-bundle smoke test: it records what the built main bundle asks
// of app, BrowserWindow, protocol, ipcMain, session, safeStorage, shell and dialog, and lets the test fire 'ready'.
// It is not Electron: no window is shown, no Chromium runs, safeStorage here is a reversible encoding, not encryption.
// It supplements, never replaces, the run inside real Electron (.github/workflows/test.yml).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: unknown[]) => unknown;

/** Every call the bundle made into the double, in order: [api, method, ...arguments]. */
export const calls: unknown[][] = [];
const record = (api: string, method: string, ...args: unknown[]) => calls.push([api, method, ...args]);

const appListeners = new Map<string, Listener[]>();
let fireReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => {
  fireReady = resolve;
});
const userData = process.env['SMOKE_USER_DATA'] ?? mkdtempSync(join(tmpdir(), 'mydata-smoke-profile-'));

export const app = {
  isPackaged: false,
  requestSingleInstanceLock: () => (record('app', 'requestSingleInstanceLock'), true),
  quit: () => record('app', 'quit'),
  on(event: string, listener: Listener) {
    record('app', 'on', event);
    appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
    return app;
  },
  whenReady: () => (record('app', 'whenReady'), ready),
  setAsDefaultProtocolClient: (...args: unknown[]) => (record('app', 'setAsDefaultProtocolClient', ...args), true),
  getPath: (name: string) => (record('app', 'getPath', name), name === 'userData' ? userData : join(userData, `_${name}`)),
  getVersion: () => '0.0.0-smoke',
  getName: () => 'MyData Desktop',
};

/** Test side: makes app.whenReady() resolve, as Electron does once it has started. */
export function emitReady(): void {
  fireReady();
}

/** Test side: calls the listeners the bundle registered for an app event (e.g. 'before-quit'). */
export function emitApp(event: string, ...args: unknown[]): void {
  for (const listener of appListeners.get(event) ?? []) listener(...args);
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => record('protocol', 'registerSchemesAsPrivileged', schemes),
  handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
    record('protocol', 'handle', scheme);
    protocol.handlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handlers: new Map<string, Listener[]>(),
  handle(channel: string, handler: Listener) {
    record('ipcMain', 'handle', channel);
    ipcMain.handlers.set(channel, [...(ipcMain.handlers.get(channel) ?? []), handler]);
  },
  on: (channel: string) => record('ipcMain', 'on', channel),
};

const defaultSession = {
  setPermissionRequestHandler: (handler: Listener) => record('session', 'setPermissionRequestHandler', handler),
  setPermissionCheckHandler: (handler: Listener) => record('session', 'setPermissionCheckHandler', handler),
  setDevicePermissionHandler: (handler: Listener) => record('session', 'setDevicePermissionHandler', handler),
};
export const session = { defaultSession };

function emitterStub(api: string) {
  const listeners = new Map<string, Listener[]>();
  const on = (event: string, listener: Listener) => {
    record(api, 'on', event);
    listeners.set(event, [...(listeners.get(event) ?? []), listener]);
  };
  return { listeners, on, once: on };
}

export class BrowserWindow {
  static instances: BrowserWindow[] = [];
  readonly options: unknown;
  loadedUrl: string | null = null;
  readonly webContents;
  private readonly events = emitterStub('BrowserWindow');
  constructor(options: unknown) {
    record('BrowserWindow', 'constructor', options);
    this.options = options;
    const contents = emitterStub('webContents');
    this.webContents = {
      ...contents,
      windowOpenHandler: null as Listener | null,
      setWindowOpenHandler: (handler: Listener) => {
        record('webContents', 'setWindowOpenHandler');
        this.webContents.windowOpenHandler = handler;
      },
      send: (...args: unknown[]) => record('webContents', 'send', ...args),
    };
    BrowserWindow.instances.push(this);
  }
  on(event: string, listener: Listener) {
    this.events.on(event, listener);
    return this;
  }
  once(event: string, listener: Listener) {
    this.events.once(event, listener);
    return this;
  }
  loadURL(url: string) {
    record('BrowserWindow', 'loadURL', url);
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isMinimized = () => false;
  restore = () => record('BrowserWindow', 'restore');
  focus = () => record('BrowserWindow', 'focus');
  show = () => record('BrowserWindow', 'show');
}

// Reversible stand-in so the vault can open here; NOT encryption (the real safeStorage runs in the Electron job).
const PREFIX = 'smoke-double:';
export const safeStorage = {
  isAsyncEncryptionAvailable: () => (record('safeStorage', 'isAsyncEncryptionAvailable'), Promise.resolve(true)),
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptStringAsync: (plain: string) => (record('safeStorage', 'encryptStringAsync'), Promise.resolve(Buffer.from(PREFIX + plain))),
  decryptStringAsync: (sealed: Buffer) => {
    record('safeStorage', 'decryptStringAsync');
    const text = sealed.toString();
    if (!text.startsWith(PREFIX)) return Promise.reject(new Error('not sealed by the double'));
    return Promise.resolve({ result: text.slice(PREFIX.length), shouldReEncrypt: false });
  },
};

// What main reads of the OS's appearance for the first frame (a 'system' theme): a light desktop.
export const nativeTheme = { shouldUseDarkColors: false, inForcedColorsMode: false, shouldUseHighContrastColors: false };

export const shell = {
  openExternal: (url: string) => (record('shell', 'openExternal', url), Promise.resolve()),
  openPath: (path: string) => (record('shell', 'openPath', path), Promise.resolve('')),
};

export const dialog = {
  showSaveDialog: () => (record('dialog', 'showSaveDialog'), Promise.resolve({ canceled: true })),
  showOpenDialog: () => (record('dialog', 'showOpenDialog'), Promise.resolve({ canceled: true, filePaths: [] })),
};

export default { app, BrowserWindow, protocol, ipcMain, session, safeStorage, shell, dialog };
