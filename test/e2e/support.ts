// Helpers every spec shares: axe with the WCAG 2.1 A/AA tags, calls through the contract as the renderer makes them, and the shell's words in both languages.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe's WCAG 2.1 A/AA violations on the page (or inside `include`), one line each.
 * Only violations are collected: computing the passes and incomplete lists doubled the run time and no test reads them.
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  // options() replaces every option set before it (withTags included), so it comes first.
  let builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails with `state` named when axe finds a violation. */
export async function expectAxeClean(page: Page, state: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${state}`).toEqual([]);
}

export type InvokeAnswer = { ok: boolean; value?: unknown; error?: { code: string } };

/** Calls a contract channel through window.mydata, as the renderer does. */
export async function invoke(page: Page, channel: string, payload: unknown): Promise<InvokeAnswer> {
  return page.evaluate(
    ([c, p]) => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<InvokeAnswer> } }).mydata.invoke(c, p),
    [channel, payload] as const,
  );
}

/** Changes settings through the contract and expects them accepted. */
export async function setSettings(page: Page, patch: Record<string, unknown>): Promise<void> {
  expect((await invoke(page, 'settings:update', patch)).ok).toBe(true);
}

/** Drops a zip onto `target` the way a file dragged from the desktop arrives (a DataTransfer holding one File). */
export async function dropZip(target: Locator, fileName: string, bytes: Uint8Array): Promise<void> {
  const transfer = await target.page().evaluateHandle(
    ([name, data]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type: 'application/zip' }));
      return dt;
    },
    [fileName, Array.from(bytes)] as const,
  );
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

export type Lang = 'zh-TW' | 'en';

/** The shell's own words in each language: the app's name, the main navigation and its links (each screen's heading too). */
export const SHELL = {
  'zh-TW': { appName: 'MyData 個人化資料自主運用', nav: '主要導覽', home: '首頁', services: '服務目錄', organizations: '機關', myData: '我的資料', history: '分享紀錄', settings: '設定' },
  en: { appName: 'MyData Desktop', nav: 'Main navigation', home: 'Home', services: 'Services', organizations: 'Organisations', myData: 'My data', history: 'History', settings: 'Settings' },
} as const;

/** Switches the language through the contract and waits until the page says it (html lang). */
export async function setLanguage(page: Page, language: Lang): Promise<void> {
  await setSettings(page, { language });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}
