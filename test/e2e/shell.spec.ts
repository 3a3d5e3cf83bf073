// The renderer shell end to end: loads under the real CSP, every screen by keyboard alone, language/theme/date
// settings applied at once and persisted across a restart, AppErrors shown in both languages, axe-core clean.
import type { Page } from '@playwright/test';
import { test, expect, type E2EApp } from './harness.ts';
import { axeViolations, setSettings, SHELL, type Lang } from './support.ts';

type ExplicitTheme = 'light' | 'dark' | 'high-contrast';

/** The screens in the main navigation's order; each link's name is its screen's heading (SHELL). */
const SCREENS = [
  { hash: '#/', word: 'home' },
  { hash: '#/services', word: 'services' },
  { hash: '#/organizations', word: 'organizations' },
  { hash: '#/my-data', word: 'myData' },
  { hash: '#/history', word: 'history' },
  { hash: '#/settings', word: 'settings' },
] as const;

/** Presses Tab (then Shift+Tab) until `name`d link in the main navigation has focus; fails if it never does. */
async function tabToNavLink(page: Page, lang: Lang, name: string): Promise<void> {
  const link = page.getByRole('navigation', { name: SHELL[lang].nav }).getByRole('link', { name, exact: true });
  for (const keyName of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < 60; i++) {
      if (await link.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press(keyName);
    }
  }
  throw new Error(`keyboard focus never reached the "${name}" link`);
}

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

async function reloadWatchingCsp(app: E2EApp): Promise<string[]> {
  const violations = watchCsp(app.page);
  await app.page.reload();
  await app.page.locator('main h1').waitFor();
  return violations;
}

test('the shell loads in zh-TW by default, with landmarks, the app name and the platform profile, under the CSP', async ({ app }) => {
  const page = app.page;
  const csp = await reloadWatchingCsp(app);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
  await expect(page.getByRole('banner')).toContainText(SHELL['zh-TW'].appName);
  const nav = page.getByRole('navigation', { name: SHELL['zh-TW'].nav });
  await expect(nav.getByRole('link')).toHaveCount(SCREENS.length);
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('首頁');
  await expect(nav.getByRole('link', { name: '首頁' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('platform-profile').locator('[data-profile]')).toHaveAttribute('data-profile', 'demo');
  await expect(page).toHaveTitle(/首頁/);
  expect(csp).toEqual([]);
});

test('every screen is reachable by keyboard alone, and focus lands on its heading', async ({ app }) => {
  const page = app.page;
  await page.reload();
  await page.locator('main h1').waitFor();
  // The skip link is the first thing Tab reaches, and it moves focus into <main>.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到主要內容' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  // The skip link must not be taken for a route by the hash router.
  expect(page.url()).not.toContain('main-content');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('首頁');

  for (const screen of [...SCREENS.slice(1), SCREENS[0]]) {
    await tabToNavLink(page, 'zh-TW', SHELL['zh-TW'][screen.word]);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${screen.hash.replace('/', '\\/')}$`));
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toHaveText(SHELL['zh-TW'][screen.word]);
    await expect(heading).toBeFocused();
    await expect(page.getByRole('navigation', { name: SHELL['zh-TW'].nav }).getByRole('link', { name: SHELL['zh-TW'][screen.word], exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
  }
  // No positive tabindex anywhere (WCAG 2.4.3).
  expect(await page.locator('[tabindex]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('tabindex'))).filter((n) => n > 0))).toEqual([]);
});

test('the language switch applies at once and persists across a restart', async ({ app }) => {
  let page = app.page;
  await page.getByRole('link', { name: '設定', exact: true }).click();
  await page.getByRole('radio', { name: 'English' }).check();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await expect(page.getByRole('banner')).toContainText(SHELL.en.appName);
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();

  await app.restart();
  page = app.page;
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('navigation', { name: SHELL.en.nav }).getByRole('link', { name: 'Services' })).toBeVisible();
  if (app.composed) expect(app.composed.settings.get().language).toBe('en');

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('radio', { name: '繁體中文' }).check();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('設定');
});

test('the theme switch applies at once, persists across a restart, and "system" follows the OS', async ({ app }) => {
  let page = app.page;
  const html = page.locator('html');
  await page.getByRole('link', { name: '設定', exact: true }).click();
  for (const [label, theme] of [['深色', 'dark'], ['高對比', 'high-contrast'], ['淺色', 'light'], ['深色', 'dark']] as const) {
    await page.getByRole('radio', { name: label }).check();
    await expect(html).toHaveAttribute('data-theme', theme);
  }
  const darkBackground = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(darkBackground).not.toBe('rgb(255, 255, 255)');

  await app.restart();
  page = app.page;
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.getByRole('link', { name: '設定', exact: true }).click();
  await page.getByRole('radio', { name: '跟隨作業系統' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme-preference', 'system');
  await page.emulateMedia({ colorScheme: 'light', forcedColors: 'none' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ forcedColors: 'active' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
});

test('the date display switch shows ROC (民國) or Gregorian years at once and persists', async ({ app }) => {
  let page = app.page;
  await page.getByRole('link', { name: '設定', exact: true }).click();
  const rocYear = String(new Date().getFullYear() - 1911);
  await page.getByRole('radio', { name: '民國' }).check();
  await expect(page.getByRole('group', { name: '日期顯示方式' })).toContainText(`民國${rocYear}年`);
  await app.restart();
  page = app.page;
  await page.getByRole('link', { name: '設定', exact: true }).click();
  await expect(page.getByRole('radio', { name: '民國' })).toBeChecked();
  await page.getByRole('radio', { name: '西元' }).check();
  await expect(page.getByRole('group', { name: '日期顯示方式' })).toContainText(`${new Date().getFullYear()}年`);
});

/** Fault injection after the next load: the first call on `channel` answers `error`; later calls reach the real dispatcher. */
async function failFirstCall(page: Page, channel: string, error: { code: string; message_zh: string; message_en: string; retryable: boolean }): Promise<void> {
  await page.addInitScript(
    ([failing, answer]) => {
      const w = window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<unknown>; on: unknown } };
      const real = w.mydata;
      let failed = false;
      w.mydata = {
        on: real.on,
        invoke: (c, payload) => {
          if (c === failing && !failed) {
            failed = true;
            return Promise.resolve({ ok: false, error: answer });
          }
          return real.invoke(c, payload);
        },
      };
    },
    [channel, error] as const,
  );
}

test('an AppError is shown in both languages, current language first, and retry recovers', async ({ app }) => {
  const page = app.page;
  // Fault injection: the first app:info answer after the reload is an AppError; later calls reach the real dispatcher.
  await failFirstCall(page, 'app:info', {
    code: 'E2E_INJECTED',
    message_zh: '測試注入的錯誤，請重試。',
    message_en: 'An error injected by the test; try again.',
    retryable: true,
  });
  await setSettings(page, { language: 'en' });
  await page.reload();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Error code: E2E_INJECTED');
  const messages = alert.locator('.error-message');
  await expect(messages.nth(0)).toHaveText('An error injected by the test; try again.');
  await expect(messages.nth(0)).toHaveAttribute('lang', 'en');
  await expect(messages.nth(1)).toHaveText('測試注入的錯誤，請重試。');
  await expect(messages.nth(1)).toHaveAttribute('lang', 'zh-TW');
  expect(await axeViolations(page)).toEqual([]);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('platform-profile')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a settings change main refuses is undone on screen, explained in both languages, and can be retried', async ({ app }) => {
  const page = app.page;
  // Fault injection: the first settings:update after the reload fails; the retry reaches the real dispatcher.
  await failFirstCall(page, 'settings:update', {
    code: 'E2E_SAVE_FAILED',
    message_zh: '設定未能儲存，請重試。',
    message_en: 'The setting was not saved; try again.',
    retryable: true,
  });
  await page.reload();
  await page.getByRole('link', { name: '設定', exact: true }).click();
  await page.getByRole('radio', { name: 'English' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('設定未能儲存，請重試。');
  await expect(alert).toContainText('The setting was not saved; try again.');
  await expect(page.getByRole('radio', { name: '繁體中文' })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
  if (app.composed) expect(app.composed.settings.get().language).toBe('zh-TW');
  await alert.getByRole('button', { name: '重試' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a refused deep link is announced politely, with both messages', async ({ app }) => {
  test.skip(!app.composed, 'deep links are injected through the composed app, which exists only in bridge mode');
  const page = app.page;
  app.composed?.receiveDeepLink('mydata-desktop://request?platform=https%3A%2F%2Funknown.example&request_uri=urn:example:1');
  const notice = page.locator('.notices[role="status"][aria-live="polite"]');
  await expect(notice).toContainText('有一個連結未被接受');
  await expect(notice.locator('[lang="en"]')).not.toBeEmpty();
  expect(await axeViolations(page)).toEqual([]);
  await notice.getByRole('button', { name: '關閉通知' }).click();
  await expect(notice).toBeEmpty();
});

test('a received request is announced politely and opens its consent screen', async ({ app }) => {
  test.skip(app.mode !== 'bridge', 'the event is sent through the bridge’s emitter, which exists only in bridge mode');
  const page = app.page;
  await setSettings(page, { language: 'en' });
  // The harness's knownPlatforms() is empty, so main refuses every real link; send the event main would send.
  await page.evaluate(() => {
    (window as unknown as { __mydataEmit(e: string, d: unknown): void }).__mydataEmit('deeplink:received', {
      kind: 'request',
      platform: 'https://platform.example',
      requestUri: 'urn:example:42',
    });
  });
  const notice = page.locator('.notices[role="status"][aria-live="polite"]');
  await expect(notice).toContainText('A service provider’s data request arrived; opening it.');
  // The consent journey takes over: the request's screen, which asks the platform for it.
  await expect(page).toHaveURL(/#\/requests\/urn%3Aexample%3A42$/);
  expect(await axeViolations(page)).toEqual([]);
});

test('an unknown route says the page does not exist and links home', async ({ app }) => {
  const page = app.page;
  await page.evaluate(() => {
    location.hash = '#/no-such-screen';
  });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('找不到這個頁面');
  await page.getByRole('link', { name: '回到首頁' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('首頁');
});

for (const lang of ['zh-TW', 'en'] as const) {
  for (const theme of ['light', 'dark', 'high-contrast'] as const satisfies readonly ExplicitTheme[]) {
    test(`axe-core finds no WCAG 2.1 A/AA violation on any screen (${lang}, ${theme})`, async ({ app }) => {
      // Seven axe runs over full screens (the Settings screen is the longest) on a shared machine.
      test.setTimeout(180_000);
      const page = app.page;
      await setSettings(page, { language: lang, theme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      const found: string[] = [];
      for (const screen of SCREENS) {
        await page.getByRole('navigation', { name: SHELL[lang].nav }).getByRole('link', { name: SHELL[lang][screen.word], exact: true }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(SHELL[lang][screen.word]);
        found.push(...(await axeViolations(page)).map((v) => `${screen.hash}: ${v}`));
      }
      await page.evaluate(() => {
        location.hash = '#/no-such-screen';
      });
      await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(SHELL[lang].history);
      found.push(...(await axeViolations(page)).map((v) => `not-found: ${v}`));
      expect(found).toEqual([]);
    });
  }
}
