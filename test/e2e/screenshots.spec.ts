// `npm run screenshots`: a PNG of every screen × both languages × the three explicit themes, under screenshots/
// (git-ignored), so the app can be looked at where Electron cannot run. Skipped unless SCREENSHOTS is set.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect, navigate } from './harness.ts';

const OUT = resolve(import.meta.dirname, '../../screenshots');
const SCREENS = [
  { slug: 'home', hash: '#/' },
  { slug: 'services', hash: '#/services' },
  { slug: 'service-detail', hash: '#/services/sd-exam' },
  { slug: 'organizations', hash: '#/organizations' },
  { slug: 'announcements', hash: '#/announcements' },
  { slug: 'my-data', hash: '#/my-data' },
  { slug: 'history', hash: '#/history' },
  { slug: 'settings', hash: '#/settings' },
  { slug: 'not-found', hash: '#/no-such-screen' },
] as const;

test.describe('screenshots', () => {
  test.skip(!process.env['SCREENSHOTS'], 'set SCREENSHOTS=1 (npm run screenshots) to write PNGs under screenshots/');

  for (const language of ['zh-TW', 'en'] as const) {
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      test(`every screen in ${language}, ${theme}`, async ({ app }) => {
        const page = app.page;
        mkdirSync(OUT, { recursive: true });
        await page.setViewportSize({ width: 1100, height: 760 });
        const answer = await page.evaluate(
          (patch) => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }).mydata.invoke('settings:update', patch),
          { language, theme },
        );
        expect(answer.ok).toBe(true);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        for (const screen of SCREENS) {
          await navigate(page, screen.hash);
          await expect(page.locator('.loading')).toHaveCount(0);
          if (screen.slug === 'home') await expect(page.getByTestId('platform-profile')).toBeVisible();
          const file = join(OUT, `${screen.slug}.${language}.${theme}.png`);
          await page.screenshot({ path: file, fullPage: true });
        }
      });
    }
  }
});
