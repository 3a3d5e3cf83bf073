// Keyboard helpers shared by the end-to-end specs: reach a control with Tab alone, as a keyboard user would.
import type { Locator, Page } from '@playwright/test';

export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement).catch(() => false);
}

/** Presses Tab (then Shift+Tab) until `target` has focus; fails if it never does. */
export async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < limit; i++) {
      if (await isFocused(target)) return;
      await page.keyboard.press(key);
    }
  }
  throw new Error(`keyboard focus never reached ${target.toString()}`);
}
