// `npm run screenshots`: a PNG of every screen × both languages × the three explicit themes, under screenshots/
// (git-ignored), so the app can be looked at where Electron cannot run. Skipped unless SCREENSHOTS is set.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { streamOf } from '../unit/vault/helpers.ts';
import { test, expect, navigate, type E2EApp } from './harness.ts';
import { downloadAll, openPackage } from './demo-journey.ts';
import { dropZip } from './support.ts';

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

// Populated: after a demo journey (six self-downloads) and an import of the sandbox's website-style download, each
// readable dataset view (a nested unknown file as its generic tables too), a package with two providers' verdicts and
// an unsigned import, the PDF viewer, a service and its consent screen with optional fields, the receipts list (empty:
// the journey consents through the platform client, not the consent screen) and the history
// with its records, in both languages and the three themes.
test.describe('screenshots after a demo journey', () => {
  test.skip(!process.env['SCREENSHOTS'], 'set SCREENSHOTS=1 (npm run screenshots) to write PNGs under screenshots/');
  test.skip(({ app }) => app.mode !== 'bridge', 'drives the composition directly');

  test('every populated screen', async ({ app }) => {
    test.setTimeout(900_000);
    const page = app.page;
    mkdirSync(OUT, { recursive: true });
    await page.setViewportSize({ width: 1100, height: 760 });
    await downloadAll(app);
    const views: { slug: string; service: RegExp; file?: RegExp }[] = [
      { slug: 'view-household', service: /戶籍|household/i },
      { slug: 'view-income', service: /所得|income/i },
      { slug: 'view-labour-insurance', service: /勞保|labou?r/i },
      { slug: 'view-health-insurance', service: /健保|health/i },
      { slug: 'view-vehicles', service: /車|vehicle/i, file: /60GGfgGX1A/ },
      { slug: 'view-driving-licences', service: /車|vehicle/i, file: /n0c9qVZBQI/ },
      { slug: 'view-company-officers', service: /負責人|responsible person/i },
    ];
    const combinations = (['zh-TW', 'en'] as const).flatMap((language) => (['light', 'dark', 'high-contrast'] as const).map((theme) => ({ language, theme })));
    const use = async ({ language, theme }: (typeof combinations)[number]) => {
      const answer = await page.evaluate(
        (patch) => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }).mydata.invoke('settings:update', patch),
        { language, theme },
      );
      expect(answer.ok).toBe(true);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      return (slug: string) => page.screenshot({ path: join(OUT, `${slug}.${language}.${theme}.png`), fullPage: true });
    };
    for (const combination of combinations) {
      const shot = await use(combination);
      for (const v of views) {
        await openPackage(page, v.service, v.file);
        await expect(page.getByTestId('dataset-view').first()).toBeVisible();
        await shot(v.slug);
      }
      // The PDF viewer, drawn, on the household package's PDF.
      await openPackage(page, /戶籍|household/i);
      const pdf = page.locator('[data-testid="package-file"][data-kind="pdf"]').first();
      await pdf.getByRole('button', { name: /顯示 PDF|Show PDF/ }).click();
      await expect(pdf.getByTestId('pdf-viewer').getByRole('status')).toHaveText(/第 1 頁|Page 1/);
      await shot('pdf-viewer');
      for (const [slug, hash] of [
        ['service-detail-provider', '#/services/sp-bank-loan'],
        ['consent-optional-fields', '#/services/sp-bank-loan/consent'],
        ['receipts', '#/my-data/receipts'],
        ['history-records', '#/history'],
      ] as const) {
        await navigate(page, hash);
        await expect(page.locator('.loading')).toHaveCount(0);
        await shot(slug);
      }
    }

    // Then an unknown nested file kept, and the website's download imported (no provider signatures; the import's
    // event refreshes the list with both): after the dataset views, so that their service names stay unambiguous.
    const { vault } = await app.composed!.stores.get();
    await vault.store({
      meta: { service: { id: 'website-import', name: 'website-import' }, source: 'import', providers: [] },
      files: [{ name: 'API.ZZZZZZZZZZ/nested.json', stream: streamOf(new TextEncoder().encode(JSON.stringify(NESTED)), 1000) }],
    });
    await importWebsiteDownload(app);
    for (const combination of combinations) {
      const shot = await use(combination);
      await navigate(page, '#/my-data');
      await expect(page.locator('.loading')).toHaveCount(0);
      await shot('my-data-populated');
      await page.getByTestId('package-row').filter({ has: page.locator('[data-badge="unsigned"]') }).first().getByRole('button', { name: /開啟|Open/ }).click();
      await expect(page.getByTestId('package-detail')).toBeVisible();
      await shot('package-unsigned-import');
      await navigate(page, '#/my-data');
      await page.getByTestId('package-row').filter({ hasText: 'website-import' }).getByRole('button', { name: /開啟|Open/ }).click();
      await page.locator('[data-testid="package-file"][data-kind="json"]').getByRole('button', { name: /以表格顯示|Show as table/ }).click();
      await expect(page.getByTestId('dataset-generic-table')).toHaveAttribute('data-sections', '4');
      await shot('view-generic-nested');
    }
  });
});

/** Plays the browser: fetches the sandbox's website-style download and drops it on the window, then imports it with the ID. */
async function importWebsiteDownload(app: E2EApp): Promise<void> {
  const page = app.page;
  const site = await (await fetch(`${app.sandbox.platform}/website/`)).text();
  const href = /href="(\/website\/download\?person=[^"]+)"/.exec(site)?.[1] ?? '';
  const response = await fetch(new URL(href, app.sandbox.platform));
  const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '');
  const bytes = new Uint8Array(await response.arrayBuffer());
  await navigate(page, '#/my-data');
  await dropZip(page.getByTestId('import-dropzone'), name, bytes);
  await page.getByLabel(/身分證統一編號|National ID number/).last().fill('H126047583');
  await page.getByRole('button', { name: /驗證並匯入|Verify and import/ }).last().click();
  await expect(page.locator('[data-verdict="unsigned"]')).toBeVisible({ timeout: 60_000 });
}

const NESTED = {
  responseData: { owner: '洪𣉥𫙸', items: [{ id: 'A1', amount: '1,200', parts: [{ p: 'x' }, { p: 'y' }] }, { id: 'A2', amount: '300', parts: [{ p: 'w' }] }] },
  notes: [{ text: '第二個清單', date: '1130101' }],
};
