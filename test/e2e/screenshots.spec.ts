// `npm run screenshots`: a PNG of every screen × both languages × the three explicit themes, under screenshots/
// (git-ignored), so the app can be looked at where Electron cannot run: first each screen as a new profile shows it,
// then every populated state after a demo journey. Skipped unless SCREENSHOTS is set, so `npm test` does not run it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { streamOf } from '../unit/vault/helpers.ts';
import { test, expect, navigate, type E2EApp } from './harness.ts';
import { downloadAll, openPackage } from './demo-journey.ts';
import { verifyInBrowser } from './idp-browser.ts';

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

// Populated: the consent screen's verification step (before anyone signs in), then after a demo journey (six
// self-downloads) each readable dataset view (a nested unknown file as its generic tables too), package detail with its
// providers' verdicts, the PDF viewer, a service provider's consent screen with optional fields, the official-service
// journey (watching, download found, imported without provider signatures), the encrypted PDF's ID prompt, a consent made
// on the consent screen (outcome, receipt, receipts list), the history with its records and imports, home and settings — each state in
// both languages and the three themes (every combination: the whole file takes about three minutes with two workers).
test.describe('screenshots after a demo journey', () => {
  test.skip(!process.env['SCREENSHOTS'], 'set SCREENSHOTS=1 (npm run screenshots) to write PNGs under screenshots/');
  test.skip(({ app }) => app.mode !== 'bridge', 'drives the composition directly');
  // A click that cannot happen fails with its reason instead of waiting out the whole test.
  test.use({ actionTimeout: 30_000 });

  test('every populated screen', async ({ app }) => {
    test.setTimeout(900_000);
    const page = app.page;
    mkdirSync(OUT, { recursive: true });
    await page.setViewportSize({ width: 1100, height: 760 });
    const combinations = (['zh-TW', 'en'] as const).flatMap((language) => (['light', 'dark', 'high-contrast'] as const).map((theme) => ({ language, theme })));
    const use = async ({ language, theme }: (typeof combinations)[number]) => {
      const answer = await page.evaluate(
        (patch) => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }).mydata.invoke('settings:update', patch),
        { language, theme },
      );
      expect(answer.ok).toBe(true);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      return (slug: string) => page.screenshot({ path: join(OUT, `${slug}.${language}.${theme}.png`), fullPage: true });
    };
    /** One state that stays put while the language and theme change: pictured in every combination, then back to zh-TW light. */
    const shotAll = async (slug: string, ready: () => Promise<void> = async () => {}) => {
      for (const combination of combinations) {
        const shot = await use(combination);
        await ready();
        await shot(slug);
      }
      await use(combinations[0]!);
    };

    // The verification step, before anyone has signed in.
    await navigate(page, '#/services/sd-income-tax/consent');
    await expect(page.getByRole('button', { name: /在瀏覽器中開始驗證|Start verification in the browser/ })).toBeVisible();
    await shotAll('consent-verification-step');

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
      ] as const) {
        await navigate(page, hash);
        await expect(page.locator('.loading')).toHaveCount(0);
        await shot(slug);
      }
    }
    await use(combinations[0]!);

    // An unknown nested file kept, then the official-service journey: the website opened, the download found in the
    // downloads folder, imported with the ID (no provider signatures). After the dataset views, so that their service
    // names stay unambiguous.
    const { vault } = await app.composed!.stores.get();
    await vault.store({
      meta: { service: { id: 'website-import', name: 'website-import' }, source: 'import', providers: [] },
      files: [{ name: 'API.ZZZZZZZZZZ/nested.json', stream: streamOf(new TextEncoder().encode(JSON.stringify(NESTED)), 1000) }],
    });
    await navigate(page, '#/my-data');
    const journey = page.getByTestId('journey');
    await journey.getByRole('button', { name: '開啟 MyData 網站並等待下載' }).click();
    await expect(journey).toHaveAttribute('data-state', 'watching');
    await shotAll('journey-watching');
    const { name, bytes } = await websiteDownload(app);
    writeFileSync(join(app.downloadsDir, name), bytes);
    await expect(journey.getByText(`找到新的下載：${name}`)).toBeVisible({ timeout: 30_000 });
    await shotAll('journey-found');
    await journey.getByLabel('身分證統一編號（英文字母大寫，共 10 碼）').fill(WANG_ID);
    await journey.getByRole('button', { name: '驗證並匯入' }).click();
    await expect(journey.locator('[data-verdict="unsigned"]')).toBeVisible({ timeout: 60_000 });
    await shotAll('journey-imported');

    await shotAll('my-data-populated');
    await page.getByTestId('package-row').filter({ has: page.locator('[data-badge="unsigned"]') }).first().getByRole('button', { name: /開啟|Open/ }).click();
    await expect(page.getByTestId('package-detail')).toBeVisible();
    await shotAll('package-unsigned-import');
    // The website's PDFs stay encrypted with the ID: the viewer asks for it.
    await page.getByRole('button', { name: '顯示 PDF' }).first().click();
    await expect(page.getByTestId('pdf-password')).toBeVisible();
    await shotAll('pdf-id-prompt', () => expect(page.getByTestId('pdf-password')).toBeVisible());
    await navigate(page, '#/my-data');
    await page.getByTestId('package-row').filter({ hasText: 'website-import' }).getByRole('button', { name: /開啟|Open/ }).click();
    await page.locator('[data-testid="package-file"][data-kind="json"]').getByRole('button', { name: /以表格顯示|Show as table/ }).click();
    await expect(page.getByTestId('dataset-generic-table')).toHaveAttribute('data-sections', '4');
    await shotAll('view-generic-nested');

    // A consent made on the consent screen (the journey above consented through the platform client): its outcome,
    // its receipt and the receipts list; then the history with every record, the imports included.
    await navigate(page, '#/services/sd-income-tax/consent');
    await expect(page.locator('.consent')).toBeVisible();
    const start = page.getByRole('button', { name: '在瀏覽器中開始驗證' });
    if (await start.isVisible()) {
      const before = app.browserOpened.length;
      await start.click();
      await expect.poll(() => app.browserOpened.length).toBeGreaterThan(before);
      await verifyInBrowser(app, app.browserOpened.at(-1)!, { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' });
    }
    await expect(page.getByTestId('consent-identity-ok')).toBeVisible({ timeout: 15_000 });
    // A change of language or theme keeps the screen's state (what was read, ticked, the open confirmation, the
    // outcome), so each state is brought about once, by keyboard as the screen is meant to be used, and pictured in
    // every combination.
    const agree = page.getByRole('checkbox', { name: /我已閱讀並同意上述服務條款與資料提供範圍|I have read and agree to the terms and the data listed above/ });
    const confirm = page.getByTestId('consent-confirm');
    await page.getByRole('region', { name: '服務條款全文' }).focus();
    await page.keyboard.press('End');
    await expect(agree).toBeEnabled();
    await agree.check();
    await shotAll('consent-ready', async () => { await expect(agree).toBeChecked(); });
    await page.getByRole('button', { name: '同意並提供資料' }).focus();
    await page.keyboard.press('Enter');
    await shotAll('consent-confirm', async () => { await expect(confirm).toBeVisible(); });
    await confirm.getByRole('button', { name: '確認同意' }).focus();
    await page.keyboard.press('Enter');
    const outcome = page.getByTestId('consent-outcome');
    await expect(outcome).toHaveAttribute('data-tx-id', /.+/);
    await shotAll('consent-outcome', async () => { await expect(outcome).toHaveAttribute('data-tx-id', /.+/); });
    await outcome.getByRole('link', { name: '查看這次的收據' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.receipt')).toHaveAttribute('data-decision', 'consent');
    await shotAll('receipt');
    await navigate(page, '#/my-data/receipts');
    await expect(page.locator('[data-receipt-id^="rcpt-"]')).toHaveCount(1);
    await shotAll('receipts');
    await navigate(page, '#/history');
    await expect(page.getByTestId('history-record').first()).toBeVisible();
    await shotAll('history-records');
    // Home lists the latest transmissions; settings show the downloads folder the journey watches.
    for (const [slug, hash] of [['home-populated', '#/'], ['settings-populated', '#/settings']] as const) {
      await navigate(page, hash);
      await expect(page.locator('.loading')).toHaveCount(0);
      await shotAll(slug);
    }
  });
});

const WANG_ID = 'H126047583';

/** Plays the browser: the sandbox's website page and its first download. */
async function websiteDownload(app: E2EApp): Promise<{ name: string; bytes: Uint8Array }> {
  const site = await (await fetch(`${app.sandbox.platform}/website/`)).text();
  const href = /href="(\/website\/download\?person=[^"]+)"/.exec(site)?.[1] ?? '';
  const response = await fetch(new URL(href, app.sandbox.platform));
  const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '');
  return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const NESTED = {
  responseData: { owner: '洪𣉥𫙸', items: [{ id: 'A1', amount: '1,200', parts: [{ p: 'x' }, { p: 'y' }] }, { id: 'A2', amount: '300', parts: [{ p: 'w' }] }] },
  notes: [{ text: '第二個清單', date: '1130101' }],
};
