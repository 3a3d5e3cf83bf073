// The main window factory: the security baseline written as literals, and the navigation guards.
// The BrowserWindow constructor is injected so the options can be checked in plain Node.
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface MainWindowOptions {
  preloadPath: string;
  /** The URL the window loads: app://app/index.html, or the dev server in `electron-vite dev`. */
  startUrl: string;
  title: string;
  backgroundColor: string;
}

export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 560,
    show: false,
    title: options.title,
    backgroundColor: options.backgroundColor,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click (auxclick) could open links in new windows; those are denied anyway, and this removes the path.
      disableBlinkFeatures: 'Auxclick',
      // Keep V8's compiled code for app:// scripts from the first start on (Chromium otherwise waits until a script
      // has run a few times), so every later start skips compiling the renderer's entry bundle; the cache is checked
      // against each script's text, so an update never runs stale code.
      v8CacheOptions: 'bypassHeatCheck',
    },
  };
}

/** Creates the window and denies every navigation away from the start page and every new window. */
export function createMainWindow(Ctor: BrowserWindowCtor, options: MainWindowOptions): BrowserWindow {
  const win = new Ctor(mainWindowOptions(options));
  const contents = win.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.startUrl);
  return win;
}
