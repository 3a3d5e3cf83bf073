// The PACKAGED app (electron-builder --dir): starts from its own executable, with its asar, fuses and real safeStorage,
// and takes one journey on the demo platform (self-download, history, receipt, the package's PDF in the viewer).
// Runs only where MYDATA_PACKAGED_APP names the executable (.github/workflows/test.yml sets it); skipped otherwise.
// Playwright's _electron cannot attach here: the fuses turn off Node's --inspect, so the window is reached through
// Chromium's remote debugging port instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { selfDownloadJourney } from './packaged-journey.ts';
import { captureSystemBrowser, type SystemBrowserCapture } from './system-browser.ts';
import { invoke } from './support.ts';

const executable = process.env['MYDATA_PACKAGED_APP'];

test.skip(!executable, 'MYDATA_PACKAGED_APP does not name a packaged executable (the GitHub workflow sets it after `electron-builder --dir`)');

interface Running {
  child: ChildProcess;
  cdp: Browser;
  page: Page;
  systemBrowser: SystemBrowserCapture;
  dir: string;
}

/** Starts the packaged executable on a fresh profile and connects to its window over the DevTools protocol. */
async function launchPackaged(): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mydata-packaged-'));
  const systemBrowser = captureSystemBrowser(dir);
  const child = spawn(executable ?? '', ['--remote-debugging-port=0', `--user-data-dir=${path.join(dir, 'profile')}`], {
    env: { ...process.env, ...systemBrowser.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ws = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools endpoint in 60 s:\n${err}`)), 60_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the packaged app exited (${String(code)}):\n${err}`)));
  });
  const cdp = await chromium.connectOverCDP(ws);
  let page: Page | undefined;
  await expect
    .poll(() => {
      page = cdp.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith('app://app/'));
      return page !== undefined;
    }, { timeout: 30_000 })
    .toBe(true);
  if (!page) throw new Error('no app window');
  await page.locator('main h1').first().waitFor();
  return { child, cdp, page, systemBrowser, dir };
}

let app: Running | null = null;
test.afterEach(async ({}, testInfo) => {
  if (!app) return;
  if (testInfo.status !== testInfo.expectedStatus) {
    const body = await app.page.screenshot().catch(() => null);
    if (body) await testInfo.attach('packaged-window', { body, contentType: 'image/png' });
  }
  await app.cdp.close().catch(() => undefined);
  app.child.kill();
  rmSync(app.dir, { recursive: true, force: true });
  app = null;
});

test('the packaged app starts on the demo platform in Electron, with a working vault, and takes the self-download journey', async ({ browser }) => {
  app = await launchPackaged();
  const { page } = app;
  // The settings screen may ask which profile to use on first start; the journey needs the demo.
  const demo = page.getByRole('button', { name: /試用示範|示範平臺|Try the demo/ });
  if (await demo.isVisible().catch(() => false)) await demo.click();

  const info = await invoke(page, 'app:info', {});
  expect(info).toMatchObject({ ok: true, value: { runtime: 'electron' } });
  // Real safeStorage: the vault opens with the OS keychain (the workflow unlocks one on Linux).
  const vault = await invoke(page, 'vault:status', {});
  expect(vault).toMatchObject({ ok: true, value: { state: 'ready', protection: 'os' } });

  test.skip(process.platform !== 'linux', 'the IdP step needs the URL the app gives the system browser, which only Linux (xdg-open, looked up on PATH) lets a test capture');
  const idpPage = await browser.newPage();
  let seen = 0;
  const { systemBrowser } = app;
  const { txId } = await selfDownloadJourney(page, {
    page: idpPage,
    async nextOpenedUrl() {
      await expect.poll(() => systemBrowser.opened().length, { timeout: 20_000 }).toBeGreaterThan(seen);
      const urls = systemBrowser.opened();
      seen = urls.length;
      return urls.at(-1) ?? '';
    },
  });
  expect(txId).toBeTruthy();
});
