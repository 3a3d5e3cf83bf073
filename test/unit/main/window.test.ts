// The window factory: security options as literals, navigation and new windows denied.
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, mainWindowOptions, type BrowserWindowCtor } from '../../../electron/main/window.ts';
import { readFileSync } from 'node:fs';

type Listener = (event: { preventDefault(): void; isMainFrame?: boolean }) => void;

function fakeWindowClass() {
  const created: { options: BrowserWindowConstructorOptions; listeners: Map<string, Listener>; openHandler?: () => unknown; loaded?: string }[] = [];
  class FakeWindow {
    webContents: unknown;
    constructor(options: BrowserWindowConstructorOptions) {
      const record: (typeof created)[number] = { options, listeners: new Map() };
      created.push(record);
      this.webContents = {
        on: (name: string, fn: Listener) => record.listeners.set(name, fn),
        setWindowOpenHandler: (fn: () => unknown) => {
          record.openHandler = fn;
        },
      };
      (this as unknown as { loadURL(u: string): Promise<void> }).loadURL = async (u: string) => {
        record.loaded = u;
      };
    }
    once() {}
  }
  return { Ctor: FakeWindow as unknown as BrowserWindowCtor, created };
}

const base = { preloadPath: '/app/out/preload/index.cjs', startUrl: 'app://app/index.html', title: 'MyData Desktop', backgroundColor: '#fff' };

describe('main window', () => {
  it('is created with the security baseline', () => {
    const prefs = mainWindowOptions(base).webPreferences!;
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
    expect(prefs.preload).toBe(base.preloadPath);
    // Compiled code is kept from the first start on, not only after Chromium's heat check.
    expect(prefs.v8CacheOptions).toBe('bypassHeatCheck');
  });

  it('writes the baseline as literals in the source', () => {
    const source = readFileSync(new URL('../../../electron/main/window.ts', import.meta.url), 'utf8');
    for (const literal of ['sandbox: true', 'contextIsolation: true', 'nodeIntegration: false', 'webSecurity: true']) {
      expect(source).toContain(literal);
    }
  });

  it('denies navigation, redirects, webviews and new windows, and loads the app URL', () => {
    const { Ctor, created } = fakeWindowClass();
    createMainWindow(Ctor, base);
    const win = created[0]!;
    expect(win.options.webPreferences?.sandbox).toBe(true);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      win.listeners.get(name)!({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
    let subframePrevented = false;
    win.listeners.get('will-frame-navigate')!({ preventDefault: () => (subframePrevented = true), isMainFrame: false });
    expect(subframePrevented).toBe(true);
    expect(win.openHandler!()).toEqual({ action: 'deny' });
    expect(win.loaded).toBe('app://app/index.html');
  });
});
