// My data end to end in Chromium (G1, G9, G12): a one-time download with its progress bar, open as tables and the PDF in the
// viewer, export, delete; import of a ZipCrypto package made with Info-ZIP (right ID: kept as "not verified" only when asked, wrong
// ID fails clearly); a multi-page PDF paged by keyboard and a broken one offered for saving; axe in both languages.
import { existsSync, readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { SandboxKeys } from '../../electron/sandbox/keys.ts';
import { renderDatasetPdf } from '../../electron/sandbox/pdf.ts';
import { IdpDriver, deliver } from '../integration/identity/idp-driver.ts';
import { consentToEverything } from '../support/platform.ts';
import { dialogAnswers } from './dialogs.ts';
import { expect, test, type E2EApp } from './harness.ts';
import { isFocused, tabTo } from './keyboard.ts';
import { buildSignedPart, buildZipCryptoFixture, nonEmbeddedCjkPdf, FIXTURE_ID, haveFixtureTools } from './mydata-fixture.ts';
import { axeViolations, invoke } from './support.ts';

const SCREENSHOTS = process.env['MYDATA_SCREENSHOTS'];

async function shot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Collects what would show that the page broke its Content-Security-Policy: violation events in the document and
 * console messages about the policy (a dedicated worker reports its own violations there).
 */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|create|evaluate|apply)/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.evaluate(() => {
    const w = window as unknown as { __cspViolations?: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations?.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...seen, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

/** Waits until the viewer has drawn its current page (pdf.js finished both the canvas and the text layer). */
async function drawn(viewer: Locator): Promise<void> {
  await expect(viewer).toHaveAttribute('data-drawing', 'false');
}

/**
 * What pdf.js put on the canvas: how many pixels carry ink (dark) and how many are paper (near white), and a digest of
 * the pixels so two pages can be told apart. A canvas left blank, or painted one colour, fails the ink/paper checks.
 */
async function canvasInk(canvas: Locator): Promise<{ ink: number; paper: number; total: number; digest: string }> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const context = el.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const { data } = context.getImageData(0, 0, el.width, el.height);
    let ink = 0;
    let paper = 0;
    let hash = 2166136261;
    for (let i = 0; i < data.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 200 && r < 110 && g < 110 && b < 110) ink++;
      else if (a > 200 && r > 240 && g > 240 && b > 240) paper++;
      hash = Math.imul(hash ^ (r + 3 * g + 7 * b), 16777619) >>> 0;
    }
    return { ink, paper, total: data.length / 4, digest: hash.toString(16) };
  });
}

/** The text layer lies exactly over the canvas (it is sized by the viewer's CSS from pdf.js's scale factor); both measured at once. */
async function expectTextLayerOverCanvas(viewer: Locator): Promise<void> {
  const [canvas, text] = await viewer.evaluate((el) => {
    const box = (testId: string) => {
      const r = el.querySelector(`[data-testid="${testId}"]`)?.getBoundingClientRect();
      return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    };
    return [box('pdf-canvas'), box('pdf-text')];
  });
  expect(canvas && text).toBeTruthy();
  if (!canvas || !text) return;
  expect(canvas.width).toBeGreaterThan(200);
  expect(Math.abs(text.x - canvas.x)).toBeLessThanOrEqual(1);
  expect(Math.abs(text.y - canvas.y)).toBeLessThanOrEqual(1);
  expect(Math.abs(text.width - canvas.width)).toBeLessThanOrEqual(1.5);
  expect(Math.abs(text.height - canvas.height)).toBeLessThanOrEqual(1.5);
}

/**
 * The text layer's run for `needle` lies over the ink pdf.js drew for it: within the run's band of rows, the drawn
 * glyphs start and end where the (transparent) run does. A layer of the wrong size, scale or place fails this.
 */
async function expectTextOverInk(viewer: Locator, needle: string): Promise<void> {
  const found = await viewer.evaluate((el, wanted) => {
    const canvas = el.querySelector<HTMLCanvasElement>('[data-testid="pdf-canvas"]');
    const run = [...el.querySelectorAll('[data-testid="pdf-text"] span')].find((s) => s.textContent.includes(wanted));
    const context = canvas?.getContext('2d');
    if (!canvas || !run || !context) return null;
    const c = canvas.getBoundingClientRect();
    const r = run.getBoundingClientRect();
    const scale = canvas.width / c.width;
    const top = Math.max(0, Math.floor((r.top - c.top) * scale));
    const bottom = Math.min(canvas.height, Math.ceil((r.bottom - c.top) * scale));
    const { data } = context.getImageData(0, top, canvas.width, Math.max(1, bottom - top));
    let left = Infinity;
    let right = -Infinity;
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i] ?? 255) < 110 && (data[i + 1] ?? 255) < 110 && (data[i + 2] ?? 255) < 110) {
        const x = (i / 4) % canvas.width;
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
      }
    }
    return { run: { left: r.left - c.left, right: r.right - c.left, height: r.height }, ink: { left: left / scale, right: right / scale } };
  }, needle);
  expect(found, `a text run with ${needle} and ink under it`).not.toBeNull();
  if (!found) return;
  expect(found.ink.right).toBeGreaterThan(found.ink.left);
  expect(found.run.height).toBeGreaterThan(4);
  expect(Math.abs(found.ink.left - found.run.left), JSON.stringify(found)).toBeLessThanOrEqual(found.run.height * 0.25);
  expect(Math.abs(found.ink.right - found.run.right), JSON.stringify(found)).toBeLessThanOrEqual(found.run.height * 0.25);
}

/** Logs 王小明 in (the test plays the system browser) and consents to sd-household for self-download; answers the tx_id. */
/** Signs Wang Hsiao-ming in at TWCA, enough for sd-household; answers the composition and that service. */
async function login(app: E2EApp) {
  const composed = app.composed;
  if (!composed) throw new Error('bridge mode only');
  const service = app.sandbox.world.services.find((s) => s.id === 'sd-household');
  const idp = app.sandbox.idps.find((i) => i.id === 'twca');
  if (!service || !idp) throw new Error('sandbox world changed');
  const tx = await composed.identity!.begin({ subjectType: 'natural', issuer: idp.issuer, requiredLevel: service.level_required, datasets: service.datasets.map((d) => d.id) });
  const url = app.browserOpened.at(-1);
  if (!url) throw new Error('the app did not open the browser');
  await deliver(await new IdpDriver().authorize(url, { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' }));
  await tx.session;
  return { composed, service };
}

async function loginAndConsent(app: E2EApp): Promise<string> {
  const { composed, service } = await login(app);
  return consentToEverything(composed.identity!.platformClient(), service);
}

async function openMyData(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: /^(我的資料|My data)$/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: /已保存的資料包|Kept packages/ })).toBeVisible();
}

test.skip(({ app }) => app.mode !== 'bridge', 'drives the composition directly');

test('a one-time download with its progress bar, then open as tables, export and delete', async ({ app }) => {
  const page = app.page;
  const txId = await loginAndConsent(app);
  await openMyData(page);
  await expect(page.getByTestId('mydata-empty')).toBeVisible();

  // The connection drops once midway: the bar shows a partial value while the app waits to resume (G1).
  app.sandbox.controls.dropNextDownloadAfter(4000);
  const started = await invoke(page, 'package:download', { txId, serviceId: 'sd-household', receiptId: null });
  expect(started.ok).toBe(true);
  await page.waitForFunction(
    () => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="download-task"][data-state="downloading"] progress');
      return bar !== null && bar.hasAttribute('value') && bar.max > 0 && bar.value < bar.max;
    },
    null,
    { polling: 'raf', timeout: 10_000 },
  );
  const task = page.getByTestId('download-task');
  await expect(task).toHaveAttribute('data-state', 'done');
  const bar = task.locator('progress');
  await expect(bar).toHaveAccessibleName('下載我的戶籍資料 的下載進度');
  const [value, max] = await bar.evaluate((el: HTMLProgressElement) => [el.value, el.max]);
  expect(value).toBe(max);
  await expect(task.getByRole('status')).toContainText('已下載、驗證並加密保存');
  await expect(task).toContainText('連線中斷後已續傳 1 次');
  await shot(page, 'mydata-download-done');

  // The list: service, dataset with its badge, date, size.
  const row = page.getByTestId('package-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('下載我的戶籍資料');
  await expect(row.locator('[data-badge="verified"]')).toContainText('已驗證');
  expect(await axeViolations(page)).toEqual([]);

  // Open: verdict per provider, the JSON as a table, the PDF offered for saving only.
  await row.getByRole('button', { name: /開啟/ }).click();
  const detail = page.getByTestId('package-detail');
  await expect(detail.getByTestId('provider-verdict')).toHaveAttribute('data-badge', 'verified');
  await expect(detail).toContainText('MyData Sandbox Root CA');
  const jsonFile = detail.locator('[data-testid="package-file"][data-kind="json"]');
  await jsonFile.getByRole('button', { name: '以表格顯示' }).click();
  const table = jsonFile.getByRole('table').first();
  await expect(table).toContainText('王小明');
  await expect(table.getByRole('rowheader').first()).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'mydata-detail');

  // The PDF in the viewer: pdf.js in its own worker from the app's origin, under the app's CSP.
  const cspViolations = await watchCsp(page);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  const pdfFile = detail.locator('[data-testid="package-file"][data-kind="pdf"]');
  await pdfFile.getByRole('button', { name: '顯示 PDF' }).click();
  await expect(pdfFile.getByRole('button', { name: '隱藏 PDF' })).toHaveAttribute('aria-expanded', 'true');
  const viewer = pdfFile.getByTestId('pdf-viewer');
  await drawn(viewer);
  await expect(viewer.getByRole('status')).toHaveText('第 1 頁，共 1 頁');
  // Drawn: ink on white paper, not a blank or single-colour canvas.
  const ink = await canvasInk(viewer.getByTestId('pdf-canvas'));
  expect(ink.ink).toBeGreaterThan(1000);
  expect(ink.paper / ink.total).toBeGreaterThan(0.8);
  // The text layer holds the PDF's own text (the sandbox writes the dataset, the subject and this transaction into it).
  const text = viewer.getByTestId('pdf-text');
  await expect(text).toContainText('戶籍資料 Household registration');
  await expect(text).toContainText('王小明');
  await expect(text).toContainText(txId);
  await expect(text).toHaveAttribute('lang', 'zh-TW');
  await expectTextLayerOverCanvas(viewer);
  await expectTextOverInk(viewer, txId);
  expect(workers.some((url) => /\/assets\/pdf\.worker\.min-[\w-]+\.mjs$/.test(url))).toBe(true);

  // Keys on the focused page: a single page stays put; + zooms in (a wider canvas), 0 fits the width again.
  const region = viewer.getByRole('region', { name: 'API.UDauDOLyZg.pdf：第 1 頁，共 1 頁' });
  await region.focus();
  await page.keyboard.press('PageDown');
  await expect(viewer).toHaveAttribute('data-page', '1');
  const fitWidth = (await viewer.getByTestId('pdf-canvas').boundingBox())?.width ?? 0;
  await page.keyboard.press('+');
  await expect(viewer.getByRole('button', { name: '符合寬度' })).toHaveAttribute('aria-pressed', 'false');
  await drawn(viewer);
  expect((await viewer.getByTestId('pdf-canvas').boundingBox())?.width ?? 0).toBeGreaterThan(fitWidth + 10);
  await expectTextLayerOverCanvas(viewer);
  await expectTextOverInk(viewer, txId);
  await page.keyboard.press('0');
  await expect(viewer.getByRole('button', { name: '符合寬度' })).toHaveAttribute('aria-pressed', 'true');
  await drawn(viewer);
  expect(Math.abs(((await viewer.getByTestId('pdf-canvas').boundingBox())?.width ?? 0) - fitWidth)).toBeLessThanOrEqual(1);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'mydata-pdf');
  expect(await cspViolations()).toEqual([]);
  await pdfFile.getByRole('button', { name: '隱藏 PDF' }).click();
  await expect(viewer).toHaveCount(0);

  // Export, after a confirmation, into a folder the (stub) dialog picks: the files decrypt to exactly what the vault holds.
  const exportDir = mkdtempSync(join(tmpdir(), 'mydata-export-'));
  try {
    dialogAnswers.folders.push(exportDir);
    await detail.getByRole('button', { name: '匯出整個資料包…' }).click();
    const dialog = page.getByRole('dialog', { name: '匯出資料包？' });
    await expect(dialog).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '選擇資料夾並匯出' }).click();
    await expect(detail.getByRole('status').filter({ hasText: '已匯出 2 個檔案' })).toBeVisible();
    const [folder] = readdirSync(exportDir);
    expect(folder).toMatch(/^MyData-sd-household-/);
    // The household file in its real shape (personHouseholdData21); the transaction is named in the PDF.
    const exported = JSON.parse(readFileSync(join(exportDir, folder ?? '', 'API.UDauDOLyZg', 'API.UDauDOLyZg.json'), 'utf8')) as { personHouseholdData21: { person_name?: string }[] };
    expect(exported.personHouseholdData21[0]?.person_name).toBe('王小明');
    expect(readFileSync(join(exportDir, folder ?? '', 'API.UDauDOLyZg', 'API.UDauDOLyZg.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  } finally {
    rmSync(exportDir, { recursive: true, force: true });
  }

  // Delete, after a confirmation: the list is empty and no blob remains in the vault folder.
  await detail.getByRole('button', { name: '刪除這個資料包…' }).click();
  const confirm = page.getByRole('dialog', { name: '刪除資料包？' });
  await confirm.getByRole('button', { name: '永久刪除' }).click();
  await expect(page.getByTestId('mydata-empty')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '資料包已刪除。' })).toBeVisible();
  expect(readdirSync(join(app.profileDir, 'vault', 'blobs'))).toEqual([]);

  // G1: the ticket is spent; asking again is named, not retried.
  const again = await invoke(page, 'package:download', { txId, serviceId: 'sd-household' });
  expect(again.ok).toBe(true);
  const refused = page.locator('[data-testid="download-task"][data-state="failed"]');
  await expect(refused.locator('[data-error-code]')).toHaveAttribute('data-error-code', 'DOWNLOAD_ALREADY_DELIVERED');
  await expect(refused).toContainText('已完整下載過一次（201）');
});

test.describe('import from the MyData website', () => {
  test.skip(!haveFixtureTools, 'needs openssl, zip and sha256sum');

  test('a ZipCrypto package made with zip -P: a wrong ID fails clearly; with the right one it is kept only when asked, labelled not verified', async ({ app }) => {
    const page = app.page;
    const dir = buildZipCryptoFixture();
    try {
      await openMyData(page);
      dialogAnswers.files.push(join(dir, 'mydata-package.zip'));
      await page.getByRole('button', { name: '選擇要匯入的檔案…' }).click();
      await expect(page.getByText('已選擇：mydata-package.zip')).toBeVisible();
      const password = page.getByLabel('身分證統一編號（英文字母大寫，共 10 碼）');
      await expect(password).toHaveAttribute('type', 'password');
      expect(await axeViolations(page)).toEqual([]);

      await password.fill('B123456780');
      await page.getByRole('button', { name: '驗證並匯入' }).click();
      const failure = page.locator('[data-error-code="PACKAGE_WRONG_PASSWORD"]');
      await expect(failure).toBeVisible();
      await expect(failure).toContainText('密碼不正確');
      await expect(failure).toContainText('The password is not correct');
      await shot(page, 'mydata-import-wrong-id');

      await password.fill(FIXTURE_ID.toLowerCase());
      await expect(password).toHaveValue(FIXTURE_ID);
      await page.getByRole('button', { name: '驗證並匯入' }).click();
      // No signer is known for this dataset (and its issuer is unknown): nothing is kept until the person asks.
      await expect(page.locator('[data-error-code="MYDATA_IMPORT_NOT_VERIFIED"]')).toBeVisible();
      await expect(page.getByTestId('package-row')).toHaveCount(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '仍然保存（標示為未驗證）' }).click();
      await expect(page.getByText(/已匯入「mydata-package\.zip」，標示為未驗證/)).toBeVisible();
      const row = page.getByTestId('package-row');
      await expect(row).toHaveCount(1);
      await expect(row.locator('[data-badge="no-known-signer"]')).toContainText('未驗證：不知道這份資料集的簽章者');
      await expect(row.locator('[data-badge="verified"]')).toHaveCount(0);
      await expect(row).toContainText('匯入的檔案');

      // The national ID is kept nowhere in the profile.
      for (const entry of readdirSync(app.profileDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const bytes = readFileSync(join(entry.parentPath, entry.name));
        expect(bytes.includes(Buffer.from(FIXTURE_ID)), entry.name).toBe(false);
      }

      await row.getByRole('button', { name: /開啟/ }).click();
      const verdict = page.getByTestId('provider-verdict');
      await expect(verdict).toHaveAttribute('data-badge', 'no-known-signer');
      await expect(verdict.locator('[data-error-code="PACKAGE_SIGNER_UNKNOWN"]')).toContainText('未驗證');
      await expect(verdict.locator('[data-error-code="PACKAGE_CERTIFICATE_UNTRUSTED"]')).toContainText('資料本身未被竄改');
      await page.getByRole('button', { name: '以表格顯示' }).click();
      // A dataset the app does not know opens as the generic tables, one per list or object (here the file's list of fields).
      const generic = page.getByRole('table').filter({ hasText: '姓名' });
      await expect(generic).toContainText('姓名');
      await expect(generic).toContainText('地址');
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, 'mydata-import-detail');

      // A single provider's part, unencrypted, imports without asking for a password.
      await page.getByRole('button', { name: /回到資料包清單/ }).click();
      dialogAnswers.files.push(join(dir, 'API.H01.zip'));
      await page.getByRole('button', { name: '選擇要匯入的檔案…' }).click();
      await expect(page.getByText('已選擇：API.H01.zip')).toBeVisible();
      await expect(page.getByLabel('身分證統一編號（英文字母大寫，共 10 碼）')).toHaveCount(0);
      await page.getByRole('button', { name: '驗證並匯入' }).click();
      await page.getByRole('button', { name: '仍然保存（標示為未驗證）' }).click();
      await expect(page.getByTestId('package-row')).toHaveCount(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('signed parts from a signer not bound to their dataset', () => {
  test.skip(!haveFixtureTools, 'needs openssl, zip and sha256sum');

  test('a real provider\'s signature: refused on a dataset bound to another signer; on one bound to none, kept only when asked, labelled "no known signer", with an import record in the history (English and zh-TW, axe)', async ({ app }) => {
    const page = app.page;
    // The highway authority's own key and certificate (from the sandbox's CA, which the app trusts) sign two parts: the
    // signature and the chain hold in both, but neither dataset is bound to that signer.
    await (await SandboxKeys.open(app.sandbox.stateDir)).providerSigner('motc-thb', '交通部公路局');
    const keys = join(app.sandbox.stateDir, 'keys');
    const signed = (resource: string) => buildSignedPart(resource, join(keys, 'provider-motc-thb.key.p8'), join(keys, 'provider-motc-thb.cer'));
    // Household registration is bound to the household registry: another signer is a forgery, refused.
    const bound = signed('API.UDauDOLyZg');
    // Kinship records (a real dataset the demo serves no one) are bound to no signer: not verified, never refused.
    const unbound = signed('API.Kr1C3b1ijJ');
    try {
      expect((await invoke(page, 'settings:update', { language: 'en' })).ok).toBe(true);
      await openMyData(page);
      dialogAnswers.files.push(bound);
      await page.getByRole('button', { name: 'Choose a file to import…' }).click();
      await expect(page.getByText('Chosen: API.UDauDOLyZg.zip')).toBeVisible();
      await page.getByRole('button', { name: 'Verify and import' }).click();
      await expect(page.locator('[data-error-code="MYDATA_IMPORT_VERIFICATION_FAILED"]')).toContainText('was not signed by the provider that holds it');
      await expect(page.getByTestId('package-row')).toHaveCount(0);

      dialogAnswers.files.push(unbound);
      await page.getByRole('button', { name: 'Choose a file to import…' }).click();
      await expect(page.getByText('Chosen: API.Kr1C3b1ijJ.zip')).toBeVisible();
      await page.getByRole('button', { name: 'Verify and import' }).click();
      await expect(page.locator('[data-error-code="MYDATA_IMPORT_NOT_VERIFIED"]')).toBeVisible();
      await expect(page.getByTestId('package-row')).toHaveCount(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Keep it anyway (labelled not verified)' }).click();
      const row = page.getByTestId('package-row');
      await expect(row).toHaveCount(1);
      await expect(row.locator('[data-badge="no-known-signer"]')).toContainText('Not verified: no known signer for this dataset');
      await expect(row.locator('[data-badge="verified"]')).toHaveCount(0);
      await row.getByRole('button', { name: /^Open/ }).click();
      const verdict = page.getByTestId('provider-verdict');
      await expect(verdict).toHaveAttribute('data-badge', 'no-known-signer');
      await expect(verdict.locator('[data-error-code="PACKAGE_SIGNER_UNKNOWN"]')).toContainText('Not verified');
      // The chain is the sandbox CA's, which the app trusts: the only finding is the missing binding.
      await expect(verdict.locator('[data-error-code="PACKAGE_CERTIFICATE_UNTRUSTED"]')).toHaveCount(0);
      expect(await axeViolations(page)).toEqual([]);

      // The history has the import, with its verdict, in both languages.
      for (const [language, kind, verdictText] of [
        ['en', 'File import', 'Not verified (kept at your request'],
        ['zh-TW', '匯入檔案', '未驗證（依您的要求仍保存'],
      ] as const) {
        expect((await invoke(page, 'settings:update', { language })).ok).toBe(true);
        await page.getByRole('navigation').getByRole('link', { name: /^(分享紀錄|History)$/ }).click();
        const record = page.locator('[data-testid="history-record"][data-tx-id^="import-"]');
        await expect(record).toHaveCount(1);
        await expect(record).toContainText(kind);
        await record.getByRole('button').click();
        const detail = page.getByTestId('history-detail');
        await expect(detail.getByTestId('history-detail-import-verdict')).toHaveAttribute('data-verdict', 'not-verified');
        await expect(detail.getByTestId('history-detail-import-verdict')).toContainText(verdictText);
        await expect(detail).toContainText('API.Kr1C3b1ijJ.zip');
        expect(await axeViolations(page), language).toEqual([]);
        await page.keyboard.press('Escape');
        await expect(detail).toHaveCount(0);
      }
    } finally {
      for (const zip of [bound, unbound]) rmSync(join(zip, '..'), { recursive: true, force: true });
    }
  });
});

test.describe('PDFs in the viewer', () => {
  test.skip(!haveFixtureTools, 'needs openssl, zip and sha256sum');

  test('a multi-page PDF is paged by keyboard, each page drawn with its own text; a broken one is offered for saving', async ({ app }) => {
    const page = app.page;
    // The sandbox's own PDF writer (embedded CJK font), with enough lines for several pages; each line carries its number.
    const lines = Array.from({ length: 130 }, (_, i) => `第 ${i + 1} 行 line-${String(i + 1).padStart(3, '0')}`);
    const multi = await renderDatasetPdf('多頁測試 Multi-page test', [{ title: '逐行 Lines', lines }]);
    test.skip(multi === null, 'no CJK font for the sandbox PDF writer');
    if (multi === null) return;
    const pages = (await PDFDocument.load(multi)).getPageCount();
    expect(pages).toBeGreaterThanOrEqual(3);
    const dir = buildZipCryptoFixture({
      extraFiles: { 'multi.pdf': multi, 'cid.pdf': nonEmbeddedCjkPdf('綜合所得稅 113'), 'broken.pdf': new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body\n') },
    });
    const saveDir = mkdtempSync(join(tmpdir(), 'mydata-pdf-save-'));
    try {
      const cspViolations = await watchCsp(page);
      await openMyData(page);
      dialogAnswers.files.push(join(dir, 'API.H01.zip'));
      await page.getByRole('button', { name: '選擇要匯入的檔案…' }).click();
      await page.getByRole('button', { name: '驗證並匯入' }).click();
      // No signer is known for this made-up dataset: it is kept only when asked, labelled not verified.
      await page.getByRole('button', { name: '仍然保存（標示為未驗證）' }).click();
      await page.getByTestId('package-row').getByRole('button', { name: /開啟/ }).click();

      const file = page.locator('[data-testid="package-file"][data-kind="pdf"]').filter({ hasText: 'multi.pdf' });
      await file.getByRole('button', { name: '顯示 PDF' }).click();
      const viewer = file.getByTestId('pdf-viewer');
      const status = viewer.getByRole('status');
      const text = viewer.getByTestId('pdf-text');
      const canvas = viewer.getByTestId('pdf-canvas');
      await drawn(viewer);
      await expect(status).toHaveText(`第 1 頁，共 ${pages} 頁`);
      await expect(text).toContainText('多頁測試 Multi-page test');
      await expect(text).toContainText('line-001');
      const first = await canvasInk(canvas);
      expect(first.ink).toBeGreaterThan(1000);
      await expectTextLayerOverCanvas(viewer);

      // PageDown on the focused page: page 2, drawn anew (other pixels, other text).
      await viewer.getByRole('region').focus();
      await page.keyboard.press('PageDown');
      await expect(status).toHaveText(`第 2 頁，共 ${pages} 頁`);
      await drawn(viewer);
      await expect(text).not.toContainText('line-001');
      await expect(text).toContainText(/line-0[5-9]\d/);
      await expectTextOverInk(viewer, 'line-060');
      const second = await canvasInk(canvas);
      expect(second.ink).toBeGreaterThan(1000);
      expect(second.digest).not.toBe(first.digest);
      await expect(viewer.getByRole('region')).toHaveAccessibleName(`multi.pdf：第 2 頁，共 ${pages} 頁`);

      // End and Home; PageDown on the last page stays there.
      await page.keyboard.press('End');
      await expect(status).toHaveText(`第 ${pages} 頁，共 ${pages} 頁`);
      await drawn(viewer);
      await expect(text).toContainText('line-130');
      await page.keyboard.press('PageDown');
      await expect(viewer).toHaveAttribute('data-page', String(pages));
      await page.keyboard.press('Home');
      await expect(status).toHaveText(`第 1 頁，共 ${pages} 頁`);
      await drawn(viewer);
      await expect(text).toContainText('line-001');

      // The buttons by keyboard alone; a button at the end stays focused (aria-disabled, not disabled).
      const next = viewer.getByRole('button', { name: '下一頁' });
      const previous = viewer.getByRole('button', { name: '上一頁' });
      await expect(previous).toHaveAttribute('aria-disabled', 'true');
      await tabTo(page, next);
      await page.keyboard.press('Enter');
      await expect(status).toHaveText(`第 2 頁，共 ${pages} 頁`);
      for (let n = 2; n < pages; n++) await page.keyboard.press('Enter');
      await expect(status).toHaveText(`第 ${pages} 頁，共 ${pages} 頁`);
      await expect(next).toHaveAttribute('aria-disabled', 'true');
      expect(await isFocused(next)).toBe(true);
      await tabTo(page, previous);
      await page.keyboard.press('Space');
      await expect(status).toHaveText(`第 ${pages - 1} 頁，共 ${pages} 頁`);
      await drawn(viewer);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, 'mydata-pdf-pages');

      // Chinese in a font the file does not embed: readable only with Adobe's CMaps, which the app ships (no network).
      const cid = page.locator('[data-testid="package-file"][data-kind="pdf"]').filter({ hasText: 'cid.pdf' });
      await cid.getByRole('button', { name: '顯示 PDF' }).click();
      const cidViewer = cid.getByTestId('pdf-viewer');
      await drawn(cidViewer);
      await expect(cidViewer.getByTestId('pdf-text')).toContainText('綜合所得稅 113');
      expect((await canvasInk(cidViewer.getByTestId('pdf-canvas'))).ink).toBeGreaterThan(200);
      await cid.getByRole('button', { name: '隱藏 PDF' }).click();

      // A file that starts like a PDF but is not one: main hands it over, pdf.js cannot open it; both languages say so and Save is offered.
      const broken = page.locator('[data-testid="package-file"][data-kind="pdf"]').filter({ hasText: 'broken.pdf' });
      await broken.getByRole('button', { name: '顯示 PDF' }).click();
      const alert = broken.locator('[data-error-code="RENDERER_PDF_UNREADABLE"]');
      await expect(alert).toContainText('這個 PDF 無法在程式內顯示');
      await expect(alert).toContainText('This PDF cannot be shown inside the app');
      expect(await axeViolations(page)).toEqual([]);
      dialogAnswers.folders.push(saveDir);
      await broken.getByRole('button', { name: '改為儲存檔案…' }).click();
      await expect(page.getByTestId('package-detail').getByRole('status').filter({ hasText: '已儲存到' })).toContainText('broken.pdf');
      expect(readFileSync(join(saveDir, 'broken.pdf'), 'latin1')).toContain('this is not a PDF body');

      // English throughout the viewer.
      expect((await invoke(page, 'settings:update', { language: 'en' })).ok).toBe(true);
      await expect(status).toHaveText(`Page ${pages - 1} of ${pages}`);
      await expect(viewer.getByRole('button', { name: 'Next page' })).toBeVisible();
      await expect(viewer.getByRole('button', { name: 'Fit width' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);

      // High contrast recolours the page like the rest of the app (white on black), and light brings the paper back.
      const light = await canvasInk(canvas);
      expect(light.paper / light.total).toBeGreaterThan(0.5);
      expect((await invoke(page, 'settings:update', { theme: 'high-contrast' })).ok).toBe(true);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
      await expect.poll(async () => { const c = await canvasInk(canvas); return c.ink / c.total; }, { timeout: 10_000 }).toBeGreaterThan(0.5);
      await drawn(viewer);
      const contrast = await canvasInk(canvas);
      expect(contrast.paper).toBeGreaterThan(100);
      expect(contrast.paper / contrast.total).toBeLessThan(0.2);
      expect(await axeViolations(page)).toEqual([]);
      expect((await invoke(page, 'settings:update', { theme: 'light' })).ok).toBe(true);
      await expect.poll(async () => { const c = await canvasInk(canvas); return c.paper / c.total; }, { timeout: 10_000 }).toBeGreaterThan(0.5);
      expect(await cspViolations()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(saveDir, { recursive: true, force: true });
    }
  });
});

test('a consented download the last run did not keep is offered again, and downloads from there (G1)', async ({ app }) => {
  const page = app.page;
  const { service } = await login(app);
  // Consent through the app (so its receipt is kept), then quit before the download starts.
  const consented = await invoke(page, 'consent:submit', { serviceId: service.id, termsShownSha256: service.terms.sha256, declined: [], decision: 'consent' });
  expect(consented.ok).toBe(true);
  const txId = (consented.value as { txId: string }).txId;
  await app.restart();

  const next = app.page;
  await openMyData(next);
  const section = next.getByTestId('pending-downloads');
  await expect(section.getByRole('heading', { level: 2, name: '已同意、尚未下載的資料包' })).toBeVisible();
  const item = section.getByTestId('pending-download');
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-tx-id', txId);
  await expect(item).toContainText('下載我的戶籍資料');
  expect(await axeViolations(next)).toEqual([]);

  // Tokens never outlive a run: without a verification the download says so; after one it runs.
  const start = item.getByRole('button', { name: '立即下載「下載我的戶籍資料」' });
  await start.focus();
  await next.keyboard.press('Enter');
  await expect(section.locator('[data-error-code]')).toBeVisible();
  await login(app);
  await start.focus();
  await next.keyboard.press('Enter');
  await expect(next.getByTestId('download-task')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(section).toHaveCount(0);
  await expect(next.getByTestId('package-row')).toHaveCount(1);

  // In English too, for a screen that opens with one pending (a second consent, another restart).
  const again = await invoke(next, 'consent:submit', { serviceId: service.id, termsShownSha256: service.terms.sha256, declined: [], decision: 'consent' });
  expect(again.ok).toBe(true);
  await app.restart();
  expect((await invoke(app.page, 'settings:update', { language: 'en' })).ok).toBe(true);
  await openMyData(app.page);
  await expect(app.page.getByTestId('pending-downloads').getByRole('heading', { level: 2, name: 'Consented, not downloaded yet' })).toBeVisible();
  await expect(app.page.getByRole('button', { name: 'Download now: Download my household registration' })).toBeVisible();
  expect(await axeViolations(app.page)).toEqual([]);
});

test('axe is clean on My data in both languages, and English reads throughout', async ({ app }) => {
  const page = app.page;
  await openMyData(page);
  expect(await axeViolations(page)).toEqual([]);
  const set = await invoke(page, 'settings:update', { language: 'en' });
  expect(set.ok).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: 'My data' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Kept packages' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose a file to import…' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'mydata-empty-en');
  expect(existsSync(join(app.profileDir, 'vault', 'vault.key'))).toBe(true);
});

test('My data lists the consent receipts', async ({ app }) => {
  await app.page.getByRole('navigation').getByRole('link', { name: '我的資料' }).click();
  await app.page.getByRole('link', { name: '查看同意收據' }).click();
  await expect(app.page).toHaveURL(/#\/my-data\/receipts$/);
  await expect(app.page.locator('main h1')).toBeFocused();
});
