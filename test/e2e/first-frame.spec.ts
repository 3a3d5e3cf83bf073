// The home screen comes in the page's HTML (main renders the first frame from its answers), and React takes that HTML
// over instead of drawing the screen again: the shell element the parser made is the one left after start-up, and
// no hydration mismatch (or any other error) is reported. In both languages, and with another theme.
import type { Page } from '@playwright/test';
import { test, expect } from './harness.ts';
import { verifyInBrowser } from './idp-browser.ts';
import { setSettings } from './support.ts';

/** Marks the shell the HTML parser inserts (before any of the app's script runs) and collects the page's errors. */
async function watchStart(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (message) => {
    // Chromium's note on the Permissions-Policy header naming features it does not know is about the header, not the page.
    if ((message.type() === 'error' || message.type() === 'warning') && !message.text().startsWith('Error with Permissions-Policy header')) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const shell = document.querySelector('#root > .shell');
      if (!shell) return;
      (shell as unknown as { fromHtml: boolean }).fromHtml = true;
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  return errors;
}

async function shellFromHtml(page: Page): Promise<boolean> {
  return page.evaluate(() => (document.querySelector('#root > .shell') as unknown as { fromHtml?: boolean } | null)?.fromHtml === true);
}

test('the first frame is in index.html and React takes it over without drawing it again (zh-TW, then English in the dark theme)', async ({ app }) => {
  const { page } = app;
  const html = await (await page.request.get(new URL('/index.html', page.url()).href)).text();
  expect(html).toMatch(/<h1[^>]*>首頁<\/h1>/);
  expect(html).toContain('id="first-frame-answers"');

  const errors = await watchStart(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '首頁' })).toBeVisible();
  // The parts shown after the first frame are in: React holds the page and has rendered since.
  await expect(page.getByTestId('home-identity')).toBeVisible();
  await expect(page.getByTestId('home-unavailable')).toBeVisible();
  expect(await shellFromHtml(page)).toBe(true);
  // The answers were taken out of the page: it keeps no copy of them.
  await expect(page.locator('#first-frame-answers')).toHaveCount(0);
  // The links work once React holds them: the navigation moves by the router, not by reloading the page.
  await page.getByRole('navigation').getByRole('link', { name: '設定' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '設定' })).toBeVisible();
  expect(await shellFromHtml(page)).toBe(true);

  await setSettings(page, { language: 'en', theme: 'dark' });
  await page.goto(new URL('/index.html', page.url()).href);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('home-unavailable')).toBeVisible();
  expect(await shellFromHtml(page)).toBe(true);
  expect(errors).toEqual([]);
});

test('a verified person is in the first frame (name, masked ID, badge) and React takes it over as it is', async ({ app }) => {
  const { page } = app;
  await page.evaluate(() => {
    location.hash = '#/verify';
  });
  const before = app.browserOpened.length;
  await page.getByRole('button', { name: '在瀏覽器中開始驗證' }).click();
  await expect.poll(() => app.browserOpened.length).toBeGreaterThan(before);
  await verifyInBrowser(app, app.browserOpened.at(-1)!, { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' });
  await expect(page.getByTestId('identity-badge')).toHaveAttribute('data-state', 'verified', { timeout: 15_000 });

  const html = await (await page.request.get(new URL('/index.html', page.url()).href)).text();
  expect(html).toContain('data-state="verified"');
  expect(html).toContain('王小明');
  expect(html).toContain('H12604****');
  expect(html).not.toContain('H126047583'); // the full national ID is never in the page

  const errors = await watchStart(page);
  await page.goto(new URL('/index.html', page.url()).href);
  await expect(page.getByTestId('identity-badge')).toHaveAttribute('data-state', 'verified');
  await expect(page.getByTestId('home-identity')).toContainText('王小明');
  await expect(page.getByTestId('home-identity')).toContainText('H12604****');
  // Signed out, the page holds the name nowhere (the answers' block went at start).
  await page.getByTestId('identity-badge').getByRole('button', { name: '登出' }).click();
  await expect(page.getByTestId('identity-badge')).toHaveAttribute('data-state', 'none');
  expect(await page.evaluate(() => document.documentElement.outerHTML.includes('王小明'))).toBe(false);
  await expect(page.getByTestId('home-unavailable')).toBeVisible();
  expect(await shellFromHtml(page)).toBe(true);
  expect(errors).toEqual([]);
});
