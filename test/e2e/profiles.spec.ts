// Profiles end to end (bridge mode, composed through the profile host as main composes): the packaged first-start
// choice, the Settings screen's choices persisted, demo and official data kept apart when switching, and the
// "another platform" address check with one clear error per failure — in both languages, axe-core clean.
import { createServer } from 'node:http';
import type { Page } from '@playwright/test';
import type { HistoryEntryInput } from '../../electron/contract/history.ts';
import { test, expect, navigate, type E2EApp } from './harness.ts';
import { axeViolations, invoke, setLanguage, SHELL, type Lang } from './support.ts';

const T = {
  'zh-TW': {
    firstStart: '歡迎使用 MyData 個人化資料自主運用',
    official: '使用官方 MyData 服務',
    demo: '試用示範（合成人物）',
    start: '開始使用',
    marker: '示範 — 合成資料',
    notAvailable: '官方服務設定檔中無法使用此功能',
    profileOfficial: '官方 MyData 服務',
    profileDemo: '示範（合成資料）',
    profilePlatform: '其他 MyData 平臺',
    switch: '切換到這個設定檔',
    url: '平臺網址（https）',
    check: '確認網址',
    updates: '啟動時檢查是否有新版本',
    choose: '選擇資料夾…',
    reset: '改回預設資料夾',
    osDefault: '作業系統預設的下載資料夾',
  },
  en: {
    firstStart: 'Welcome to MyData Desktop',
    official: 'Use the official MyData service',
    demo: 'Try the demo (synthetic people)',
    start: 'Start',
    marker: 'Demo — synthetic data',
    notAvailable: 'Not available in the official-service profile',
    profileOfficial: 'Official MyData service',
    profileDemo: 'Demo (synthetic data)',
    profilePlatform: 'Another MyData platform',
    switch: 'Switch to this profile',
    url: 'Platform address (https)',
    check: 'Check address',
    updates: 'Check for a new version when the app starts',
    choose: 'Choose folder…',
    reset: 'Use the default folder',
    osDefault: 'the operating system’s downloads folder',
  },
} as const;

function record(txId: string, datasetZh: string, datasetEn: string): HistoryEntryInput {
  return {
    time: '2025-04-01T10:00:00+08:00',
    kind: 'self-download',
    dataset: { id: `ds-${txId}`, name: { zh: datasetZh, en: datasetEn } },
    provider: { id: 'mof-fia', name: { zh: '財政部財政資訊中心', en: 'Fiscal Information Agency' } },
    service: { id: 'sp-self-download', name: { zh: '自行下載', en: 'Self-download' } },
    recipient: { kind: 'self' },
    subject: { masked_id: 'A12345****', type: 'natural' },
    method: 'moica',
    assurance_level: 0,
    result: 'success',
    code: '200',
    tx_id: txId,
    receipt_id: null,
    terms_sha256: null,
  };
}

async function seed(app: E2EApp, entry: HistoryEntryInput): Promise<void> {
  if (!app.composed) throw new Error('seeds the history through the composition (bridge mode)');
  const { history } = await app.composed.stores.get();
  await history.append(entry);
}

/** Switches profile on the Settings screen and waits for the reloaded window to show the new one. */
async function switchTo(page: Page, lang: Lang, profile: 'official' | 'demo'): Promise<void> {
  await navigate(page, '#/settings');
  const section = page.getByTestId('settings-profile');
  await section.getByRole('radio', { name: profile === 'official' ? T[lang].profileOfficial : T[lang].profileDemo }).check();
  await section.getByRole('button', { name: T[lang].switch }).click();
  await expect(page.getByTestId('current-profile')).toHaveAttribute('data-profile', profile);
}

/** A server on its own 127.0.0.1 port answering /.well-known/mydata-platform with `body` (an origin of its own). */
async function metadataServer(status: number, type: string, body: (origin: string) => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? ''}`;
    res.writeHead(req.url === '/.well-known/mydata-platform' ? status : 404, { 'content-type': type });
    res.end(body(origin));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

test.describe('first start of a packaged build', () => {
  test.use({ packaged: true });

  for (const lang of ['zh-TW', 'en'] as const) {
    test(`asks official or demo before anything else, and remembers the official choice (${lang})`, async ({ app }) => {
      test.setTimeout(180_000);
      const page = app.page;
      await setLanguage(page, lang);
      await expect(page.getByTestId('first-start')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].firstStart);
      // Nothing else until the choice: no navigation, no demo marker.
      await expect(page.getByRole('navigation')).toHaveCount(0);
      await expect(page.getByTestId('demo-marker')).toHaveCount(0);
      const demo = page.getByRole('radio', { name: T[lang].demo });
      await expect(demo).toBeVisible();
      for (const theme of ['light', 'dark', 'high-contrast'] as const) {
        expect((await invoke(page, 'settings:update', { theme })).ok).toBe(true);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        expect(await axeViolations(page), theme).toEqual([]);
      }

      // By keyboard: the choice is a radio group (arrows move), the button submits with Enter.
      await page.getByRole('radio', { name: T[lang].official }).focus();
      await page.keyboard.press('ArrowDown');
      await expect(demo).toBeChecked();
      await page.keyboard.press('ArrowUp');
      await expect(page.getByRole('radio', { name: T[lang].official })).toBeChecked();
      await page.getByRole('button', { name: T[lang].start }).press('Enter');
      await expect(page.getByRole('navigation')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(SHELL[lang].home);
      await expect(page.getByTestId('demo-marker')).toHaveCount(0);
      expect(app.profileDir).toMatch(/profiles[/\\]official$/);

      // The local screens work without a platform and show no error.
      for (const hash of ['#/', '#/my-data', '#/history', '#/settings']) {
        await navigate(page, hash);
        await expect(page.getByTestId('not-in-official-profile'), hash).toHaveCount(0);
        await expect(page.locator('[data-error-code]'), hash).toHaveCount(0);
      }
      // The official profile has no platform API: the screens that need one say so, plainly.
      await navigate(page, '#/services');
      await expect(page.getByTestId('not-in-official-profile')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].notAvailable);
      expect(await axeViolations(page)).toEqual([]);

      await app.restart();
      await expect(app.page.getByTestId('first-start')).toHaveCount(0);
      await expect(app.page.getByRole('heading', { level: 1 })).toHaveText(SHELL[lang].home);
      expect(app.composed?.settings.get()).toMatchObject({ profile: 'official', profileChosen: true });
    });
  }

  test('trying the demo marks every screen as demo with synthetic data', async ({ app }) => {
    test.setTimeout(180_000);
    const page = app.page;
    await page.getByRole('radio', { name: T['zh-TW'].demo }).check();
    await page.getByRole('button', { name: T['zh-TW'].start }).click();
    await expect(page.getByRole('navigation')).toBeVisible();
    for (const hash of ['#/', '#/services', '#/my-data', '#/history', '#/settings']) {
      await navigate(page, hash);
      await expect(page.getByTestId('demo-marker'), hash).toBeVisible();
      await expect(page.getByTestId('demo-marker')).toContainText(T['zh-TW'].marker);
    }
    await setLanguage(page, 'en');
    await expect(page.getByTestId('demo-marker')).toContainText(T.en.marker);
    expect(app.composed?.settings.get()).toMatchObject({ profile: 'demo', profileChosen: true });
  });

  test('refuses a loopback http platform (development only)', async ({ app }) => {
    const page = app.page;
    const answer = await invoke(page, 'profile:check-platform', { url: app.sandbox.platform });
    expect(answer).toMatchObject({ ok: false, error: { code: 'PLATFORM_URL_NOT_HTTPS' } });
  });
});

test('development starts on the demo at once, marked as demo', async ({ app }) => {
  await expect(app.page.getByTestId('first-start')).toHaveCount(0);
  await expect(app.page.getByTestId('demo-marker')).toBeVisible();
  expect(app.profileDir).toMatch(/profiles[/\\]demo$/);
});

for (const lang of ['zh-TW', 'en'] as const) {
  test(`the Settings screen's choices are stored and survive a restart (${lang})`, async ({ app }) => {
    test.setTimeout(180_000);
    let page = app.page;
    await setLanguage(page, lang);
    await navigate(page, '#/settings');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SHELL[lang].settings);
    const downloads = page.getByTestId('downloads-folder');
    await expect(downloads).toContainText(T[lang].osDefault);

    await page.getByRole('checkbox', { name: T[lang].updates }).uncheck();
    await page.getByRole('button', { name: T[lang].choose }).click();
    await expect(downloads).toContainText('Chosen downloads');
    await expect(downloads).not.toContainText(T[lang].osDefault);
    expect(await axeViolations(page)).toEqual([]);

    await app.restart();
    page = app.page;
    await navigate(page, '#/settings');
    await expect(page.getByRole('checkbox', { name: T[lang].updates })).not.toBeChecked();
    await expect(page.getByTestId('downloads-folder')).toContainText('Chosen downloads');
    expect(app.composed?.settings.get()).toMatchObject({ updateChecks: false, language: lang });

    await page.getByRole('button', { name: T[lang].reset }).click();
    await expect(page.getByTestId('downloads-folder')).toContainText(T[lang].osDefault);
    await page.getByRole('checkbox', { name: T[lang].updates }).check();
    await expect.poll(() => app.composed?.settings.get().updateChecks).toBe(true);
  });

  test(`switching demo ↔ official keeps each profile's data apart (${lang})`, async ({ app }) => {
    test.setTimeout(240_000);
    const page = app.page;
    await setLanguage(page, lang);
    await seed(app, record('tx-demo-1', '示範戶籍資料', 'Demo household record'));
    await navigate(page, '#/history');
    await expect(page.getByTestId('history-page')).toContainText(lang === 'zh-TW' ? '示範戶籍資料' : 'Demo household record');

    await switchTo(page, lang, 'official');
    await expect(page.getByTestId('demo-marker')).toHaveCount(0);
    expect(app.profileDir).toMatch(/profiles[/\\]official$/);
    await navigate(page, '#/history');
    await expect(page.getByTestId('history-empty')).toBeVisible();
    await expect(page.getByTestId('history-page')).not.toContainText(lang === 'zh-TW' ? '示範戶籍資料' : 'Demo household record');
    expect(await axeViolations(page)).toEqual([]);
    await seed(app, record('tx-official-1', '真實所得資料', 'Real income record'));

    await switchTo(page, lang, 'demo');
    await expect(page.getByTestId('demo-marker')).toBeVisible();
    await navigate(page, '#/history');
    await expect(page.getByTestId('history-page')).toContainText(lang === 'zh-TW' ? '示範戶籍資料' : 'Demo household record');
    await expect(page.getByTestId('history-page')).not.toContainText(lang === 'zh-TW' ? '真實所得資料' : 'Real income record');
  });

  test(`another platform's address is checked, with a clear error for each failure (${lang})`, async ({ app }) => {
    test.setTimeout(240_000);
    const page = app.page;
    await setLanguage(page, lang);
    await navigate(page, '#/settings');
    const section = page.getByTestId('settings-profile');
    await section.getByRole('radio', { name: T[lang].profilePlatform }).check();
    const input = section.getByRole('textbox', { name: T[lang].url });
    const error = section.getByRole('alert');

    const html = await metadataServer(200, 'text/html', () => '<html><body>A shop</body></html>');
    const broken = await metadataServer(200, 'application/json', () => '{"name": {"zh": "x"');
    const closed = await metadataServer(200, 'application/json', () => '{}');
    await closed.close();
    try {
      const cases: [string, string][] = [
        ['ftp://mydata.example.tw', 'PLATFORM_URL_NOT_HTTPS'],
        ['http://mydata.example.tw', 'PLATFORM_URL_NOT_HTTPS'],
        [closed.origin, 'PLATFORM_URL_UNREACHABLE'],
        [html.origin, 'PLATFORM_URL_NOT_MYDATA'],
        [broken.origin, 'PLATFORM_URL_BAD_METADATA'],
      ];
      for (const [url, code] of cases) {
        await input.fill(url);
        await section.getByRole('button', { name: T[lang].check }).click();
        await expect(error, url).toHaveAttribute('data-error-code', code);
        await expect(input).toHaveAttribute('aria-invalid', 'true');
      }
      // Both languages are in every error, the page's language first.
      await expect(error.locator(`p[lang="${lang}"]`).first()).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      // Switching re-checks: an address that fails never becomes the profile.
      await section.getByRole('button', { name: T[lang].switch }).click();
      await expect(error).toHaveAttribute('data-error-code', 'PLATFORM_URL_BAD_METADATA');
      expect(app.composed?.settings.get().profile).toBe('demo');

      // Development accepts a loopback http platform: the sandbox itself, under a profile (and folder) of its own.
      await input.fill(app.sandbox.platform);
      await section.getByRole('button', { name: T[lang].check }).click();
      await expect(page.getByTestId('profile-status')).toContainText(lang === 'zh-TW' ? 'MyData 沙盒平臺' : 'MyData Sandbox Platform');
      await section.getByRole('button', { name: T[lang].switch }).click();
      await expect(page.getByTestId('current-profile')).toHaveAttribute('data-profile', 'platform');
      expect(app.profileDir).toMatch(/profiles[/\\]platform-[0-9a-f]{16}$/);
      await expect(page.getByTestId('demo-marker')).toHaveCount(0);
    } finally {
      await html.close();
      await broken.close();
    }
  });
}
