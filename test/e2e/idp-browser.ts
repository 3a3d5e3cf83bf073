// Plays the person at the sandbox IdP in the "system browser": a second page of the test's browser, driven by keyboard.
import type { Locator } from '@playwright/test';
import { expect, type E2EApp } from './harness.ts';
import { tabTo } from './keyboard.ts';

export interface IdpChoice {
  subject: string;
  method: string;
  pin: string;
  /** Press the IdP's own cancel button instead of verifying. */
  cancel?: boolean;
}

/**
 * Plays the person in the system browser: a second page loads the authorization URL and completes the sandbox IdP's
 * forms with the keyboard (choose who, the method, the PIN, allow) until the IdP redirects to the app's loopback.
 * Returns the loopback URL the browser landed on (it carries the authorization code).
 */
export async function verifyInBrowser(app: Pick<E2EApp, 'page' | 'newBrowserPage'>, authorizationUrl: string, choice: IdpChoice): Promise<{ callback: URL; text: string }> {
  const browser = await (app.newBrowserPage ? app.newBrowserPage() : app.page.context().newPage());
  try {
    await browser.goto(authorizationUrl);
    const idpOrigin = new URL(authorizationUrl).origin;
    // Each keyboard action submits a form; the IdP answers with a redirect (often to the same interaction URL).
    const act = async (press: () => Promise<void>): Promise<void> => {
      const navigated = browser.waitForEvent('framenavigated', { predicate: (frame) => frame === browser.mainFrame(), timeout: 10_000 });
      await press();
      await navigated;
      await browser.waitForLoadState('load');
    };
    const choose = async (radio: Locator): Promise<void> => {
      await radio.focus();
      await browser.keyboard.press('Space');
      await expect(radio).toBeChecked();
      await tabTo(browser, radio.locator('xpath=ancestor::form').locator('button[type="submit"]').last());
      await act(() => browser.keyboard.press('Enter'));
    };
    for (let step = 0; step < 12 && new URL(browser.url()).origin === idpOrigin; step++) {
      await browser.locator('form').first().waitFor();
      if (choice.cancel) {
        await browser.locator('button[name="abort"]').first().focus();
        await act(() => browser.keyboard.press('Enter'));
      } else if ((await browser.locator('input[name="subject"]').count()) > 0) {
        await choose(browser.locator(`input[name="subject"][value="${choice.subject}"]`));
      } else if ((await browser.locator('input[name="method"][type="radio"]').count()) > 0) {
        await choose(browser.locator(`input[name="method"][value="${choice.method}"]`));
      } else if ((await browser.locator('input[name="pin"]').count()) > 0) {
        await browser.locator('input[name="pin"]').focus();
        await browser.keyboard.type(choice.pin);
        await act(() => browser.keyboard.press('Enter'));
      } else if ((await browser.locator('button[name="decision"][value="allow"]').count()) > 0) {
        await browser.locator('button[name="decision"][value="allow"]').focus();
        await act(() => browser.keyboard.press('Enter'));
      } else {
        throw new Error(`unexpected IdP page: ${(await browser.locator('body').innerText()).slice(0, 300)}`);
      }
    }
    await browser.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    const callback = new URL(browser.url());
    const text = await browser.locator('body').innerText();
    return { callback, text };
  } finally {
    await browser.close();
  }
}
