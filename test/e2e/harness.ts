// The e2e harness. Specs import { test, expect } from here and get `app`:
//   app.page        the renderer's page (already loaded and showing the shell)
//   app.restart()   closes the page and starts the app again on the same profile folder (persistence tests);
//                   restart({ platformUrl }) points the new composition at another platform URL (e.g. a closed port, for offline tests)
//   app.profileDir  the active profile's folder (vault, history, receipts) — tests may search it
//   app.userDataDir the app's data folder: app-wide settings.json and profiles/<name>/ for each profile
//   app.composed    the real main-side composition of the active profile (bridge mode only; null under _electron);
//                   in bridge mode the profile host composes it (as main does) and a profile switch reloads the page
//   test.use({ packaged: true })  composes as a packaged build (first-start profile choice, no loopback http platforms)
//   app.sandbox     the embedded sandbox platform this app talks to (one per worker, real HTTP on 127.0.0.1)
//   app.browserOpened  URLs the app asked the system browser to open, newest last (under _electron: Linux only, via $BROWSER)
// In bridge mode the built renderer (out/renderer) is served on 127.0.0.1 by the same handler as app://,
// so it gets the same CSP, and window.mydata is installed by an init script and bridged with exposeBinding
// to the real dispatcher from electron/main/compose.ts (ARCHITECTURE §4).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Conf from 'conf';
import { test as base, expect, _electron, type Browser, type Page, type TestInfo } from '@playwright/test';
import { createAppRequestHandler } from '../../electron/main/app-protocol.ts';
import type { FirstFrameModule } from '../../electron/contract/first-frame.ts';
import { firstFramePages } from '../../electron/main/first-frame.ts';
import type { ComposedApp } from '../../electron/main/compose.ts';
import { startProfileHost, type ProfileHost } from '../../electron/main/profile-host.ts';
import { createEventEmitter } from '../../electron/main/ipc.ts';
import { settingsStoreSchema } from '../../electron/core/settings/store-schema.ts';
import type { KeyValueStore } from '../../electron/core/ports.ts';
import { startSandbox, type RunningSandbox } from '../../electron/sandbox/index.ts';
import { insecureTestProtector } from '../unit/vault/helpers.ts';
import { electronBinary } from '../support/electron-binary.ts';
import { captureSystemBrowser } from './system-browser.ts';
import { e2eDialogs } from './dialogs.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER_DIR = join(ROOT, 'out/renderer');

export { electronBinary };

/** The profile host of the page being opened or shown (one page at a time per worker): the first frame's answers come from it. */
let activeHost: ProfileHost | null = null;

/**
 * Serves out/renderer on 127.0.0.1 through the app:// handler (same files, same headers), index.html with the first
 * frame rendered into it by the built first-frame module from the active profile's answers, as main does.
 */
async function serveRenderer(): Promise<{ origin: string; server: Server }> {
  const pages = firstFramePages({
    load: () => import(pathToFileURL(join(ROOT, 'out/main/first-frame.js')).href) as Promise<FirstFrameModule>,
    dispatch: (sender, channel, payload) => {
      if (!activeHost) return Promise.reject(new Error('no profile host'));
      return activeHost.current.dispatcher.dispatch(sender, channel, payload);
    },
    system: () => ({ dark: false, forcedColors: false, moreContrast: false }),
    log: (error) => {
      console.error('[first-frame]', error);
    },
  });
  const handle = createAppRequestHandler(RENDERER_DIR, { firstFrame: pages.page });
  let port = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const response = await handle(new Request(`http://127.0.0.1:${port}${req.url ?? '/'}`, { method: req.method ?? 'GET' }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  port = address.port;
  return { origin: `http://127.0.0.1:${address.port}`, server };
}

function confStore(dir: string): KeyValueStore {
  const store = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'mydata-desktop-e2e', schema: settingsStoreSchema() });
  return {
    get: (k) => store.get(k),
    set: (k, v) => store.set(k, v),
    delete: (k) => store.delete(k),
    get store() {
      return store.store;
    },
  };
}

const BRIDGE_INIT = () => {
  type Listener = (data: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  const w = window as unknown as {
    __mydataInvoke(channel: unknown, payload: unknown): Promise<unknown>;
    __mydataEmit(event: string, data: unknown): void;
    mydata: unknown;
  };
  w.__mydataEmit = (event, data) => {
    for (const listener of listeners.get(event) ?? []) listener(data);
  };
  w.mydata = Object.freeze({
    invoke: (channel: unknown, payload: unknown) => w.__mydataInvoke(channel, payload),
    on: (event: string, listener: Listener) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
};

export interface E2EApp {
  page: Page;
  readonly profileDir: string;
  userDataDir: string;
  readonly composed: ComposedApp | null;
  sandbox: RunningSandbox;
  mode: 'bridge' | 'electron';
  browserOpened: string[];
  /** A page of a browser standing in for the person's system browser (electron mode); bridge mode uses the app's context. */
  newBrowserPage?: () => Promise<Page>;
  /** A temporary folder standing in for the OS's downloads folder (the journey watches it). */
  downloadsDir: string;
  restart(options?: { platformUrl?: string }): Promise<void>;
}

async function openBridgePage(
  browser: Browser,
  origin: string,
  userDataDir: string,
  sandbox: RunningSandbox,
  browserOpened: string[],
  downloadsDir: string,
  packaged: boolean,
  platformUrl?: string,
): Promise<{ page: Page; host: ProfileHost }> {
  const context = await browser.newContext({ locale: 'zh-TW', timezoneId: 'Asia/Taipei' });
  const page = await context.newPage();
  const emit = createEventEmitter({
    send: (event, data) => {
      page.evaluate(([e, d]) => (window as unknown as { __mydataEmit(e: string, d: unknown): void }).__mydataEmit(e, d), [event, data] as const).catch(() => {});
    },
  });
  const host = await startProfileHost({
    settingsStore: confStore(userDataDir),
    userDataDir,
    packaged,
    // The worker's sandbox is the demo's platform (main would start one in the demo profile's folder).
    startDemoPlatform: () => Promise.resolve({ platform: sandbox.platform, stop: () => Promise.resolve() }),
    ...(platformUrl !== undefined ? { platformUrlOverride: platformUrl } : {}),
    // As main reloads the window after a profile switch.
    onSwitched: () => {
      page.reload().catch(() => {});
    },
    downloadsFolder: { osDefault: join(userDataDir, 'Downloads'), choose: () => Promise.resolve(join(userDataDir, 'Chosen downloads')) },
    keyProtector: insecureTestProtector(),
    shell: {
      open: async (url) => {
        browserOpened.push(url);
      },
    },
    clock: { now: () => new Date() },
    emit,
    runtime: 'bridge',
    version: '0.0.0-e2e',
    isTrustedOrigin: (url) => url.origin === origin,
    fileDialogs: e2eDialogs,
    downloadsDir,
    journeyTiming: { pollMs: 200, stableMs: 400 },
  });
  await page.exposeBinding('__mydataInvoke', (source, channel: unknown, payload: unknown) =>
    host.current.dispatcher.dispatch({ frameUrl: source.frame.url(), isTopFrame: source.frame.parentFrame() === null }, channel, payload),
  );
  await page.addInitScript(BRIDGE_INIT);
  activeHost = host;
  await page.goto(`${origin}/index.html`);
  await page.locator('main h1').first().waitFor();
  await untilReactHolds(page);
  return { page, host };
}

/**
 * The heading is in the page's HTML from the start (main renders the first frame): wait until React has taken the
 * root over (hydrateRoot marks the container), so that a test's first click is not made on HTML without handlers.
 */
async function untilReactHolds(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const root = document.getElementById('root');
    return root !== null && Object.keys(root).some((key) => key.startsWith('__reactContainer$'));
  });
}

function withoutUndefined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A failed test leaves a screenshot of the app's window in its output folder (uploaded by the GitHub workflow). */
async function keepEvidence(testInfo: TestInfo, page: Page): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  const body = await page.screenshot().catch(() => null);
  if (body) await testInfo.attach('window', { body, contentType: 'image/png' });
}

export const test = base.extend<{ app: E2EApp; packaged: boolean }, { rendererServer: { origin: string }; sandbox: RunningSandbox }>({
  packaged: [false, { option: true }],

  sandbox: [
    async ({}, use) => {
      const stateDir = mkdtempSync(join(tmpdir(), 'mydata-e2e-sandbox-'));
      const sandbox = await startSandbox({ stateDir, preparationMs: 0 });
      await use(sandbox);
      await sandbox.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],

  rendererServer: [
    async ({}, use) => {
      const { origin, server } = await serveRenderer();
      await use({ origin });
      await new Promise((ok) => server.close(ok));
    },
    { scope: 'worker' },
  ],

  app: async ({ browser, rendererServer, sandbox, packaged }, use, testInfo) => {
    const browserOpened: string[] = [];
    const profileDir = mkdtempSync(join(tmpdir(), 'mydata-e2e-'));
    // Beside the profile (never inside it, so a grep of the profile does not see downloads); removed with it.
    const downloadsDir = join(profileDir, '..', `${basename(profileDir)}-downloads`);
    mkdirSync(downloadsDir);
    const binary = electronBinary();
    if (binary) {
      // The "system browser" writes down what it is asked to open (Linux; see system-browser.ts), and the IdP's pages
      // are played in a page of the test's own browser.
      const systemBrowser = captureSystemBrowser(mkdtempSync(join(tmpdir(), 'mydata-e2e-browser-')));
      const launch = () => _electron.launch({ executablePath: binary, args: [join(ROOT, 'out/main/index.js'), `--user-data-dir=${profileDir}`], env: { ...withoutUndefined(process.env), ...systemBrowser.env } });
      let electronApp = await launch();
      // Under _electron Playwright's own trace option does not apply: record one here, kept only when the test fails.
      await electronApp.context().tracing.start({ screenshots: true, snapshots: true });
      const firstWindow = async (): Promise<Page> => {
        const page = await electronApp.firstWindow();
        await untilReactHolds(page);
        return page;
      };
      const app: E2EApp = {
        page: await firstWindow(),
        profileDir: join(profileDir, 'profiles', 'demo'),
        userDataDir: profileDir,
        composed: null,
        sandbox,
        get browserOpened() {
          return systemBrowser.opened();
        },
        newBrowserPage: () => browser.newPage(),
        downloadsDir,
        mode: 'electron',
        async restart() {
          await electronApp.close();
          electronApp = await launch();
          app.page = await firstWindow();
        },
      };
      await use(app);
      await keepEvidence(testInfo, app.page);
      const failed = testInfo.status !== testInfo.expectedStatus;
      await electronApp.context().tracing.stop(failed ? { path: testInfo.outputPath('trace.zip') } : {}).catch(() => undefined);
      await electronApp.close();
    } else {
      let platformUrl: string | undefined;
      let current = await openBridgePage(browser, rendererServer.origin, profileDir, sandbox, browserOpened, downloadsDir, packaged);
      const app: E2EApp = {
        page: current.page,
        get profileDir() {
          return current.host.profileDir;
        },
        userDataDir: profileDir,
        get composed() {
          return current.host.current;
        },
        sandbox,
        browserOpened,
        downloadsDir,
        mode: 'bridge',
        async restart(options) {
          await current.host.dispose();
          await app.page.context().close();
          if (options?.platformUrl !== undefined) platformUrl = options.platformUrl;
          current = await openBridgePage(browser, rendererServer.origin, profileDir, sandbox, browserOpened, downloadsDir, packaged, platformUrl);
          app.page = current.page;
        },
      };
      await use(app);
      await keepEvidence(testInfo, app.page);
      await current.host.dispose();
      await app.page.context().close();
    }
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(downloadsDir, { recursive: true, force: true });
  },
});

export { expect };

/**
 * Navigates by hash and waits for the target screen's own heading. React keeps the old screen on display while a
 * lazily loaded one arrives, so "an h1 is visible" alone can still be the previous screen's.
 */
export async function navigate(page: Page, hash: string): Promise<void> {
  const heading = page.locator('main h1');
  const previous = (await heading.count()) > 0 ? { node: await heading.elementHandle(), text: await heading.textContent() } : null;
  const samePath = await page.evaluate((h) => {
    const path = (x: string) => (x.split('?')[0] ?? '').replace(/^#?\/?$/, '#/');
    return path(location.hash) === path(h);
  }, hash);
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  if (previous && !samePath) {
    // A new screen brings a new heading node; the same screen with another parameter (another service) a new text.
    await page.waitForFunction(
      ([old, oldText]) => {
        const now = document.querySelector('main h1');
        return now !== null && (now !== old || now.textContent !== oldText);
      },
      [previous.node, previous.text] as const,
    );
  }
  await heading.waitFor();
}
