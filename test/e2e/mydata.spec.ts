// My data end to end in Chromium (G1, G9, G12): a one-time download with its progress bar, open as tables, export, delete;
// import of a ZipCrypto package made with Info-ZIP (right ID imports as "issuer not recognised", wrong ID fails clearly); axe in both languages.
import { existsSync, readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { IdpDriver, deliver } from '../integration/identity/idp-driver.ts';
import { dialogAnswers } from './dialogs.ts';
import { expect, test, type E2EApp } from './harness.ts';
import { buildZipCryptoFixture, FIXTURE_ID, haveFixtureTools } from './mydata-fixture.ts';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SCREENSHOTS = process.env['MYDATA_SCREENSHOTS'];

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function invoke(page: Page, channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return page.evaluate(
    ([c, p]) => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }).mydata.invoke(c, p),
    [channel, payload] as const,
  );
}

async function shot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Logs 王小明 in (the test plays the system browser) and consents to sd-household for self-download; answers the tx_id. */
async function loginAndConsent(app: E2EApp): Promise<string> {
  const composed = app.composed;
  if (!composed) throw new Error('bridge mode only');
  const service = app.sandbox.world.services.find((s) => s.id === 'sd-household');
  const idp = app.sandbox.idps.find((i) => i.id === 'twca');
  if (!service || !idp) throw new Error('sandbox world changed');
  const tx = await composed.identity.begin({ subjectType: 'natural', issuer: idp.issuer, requiredLevel: service.level_required, datasets: service.datasets.map((d) => d.id) });
  const url = app.browserOpened.at(-1);
  if (!url) throw new Error('the app did not open the browser');
  await deliver(await new IdpDriver().authorize(url, { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' }));
  await tx.session;
  const res = await composed.identity.platformClient().fetch('transactions', {
    method: 'POST',
    json: {
      service_id: service.id,
      datasets: service.datasets.map((d) => ({ id: d.id, fields: d.fields.map((f) => f.name) })),
      terms_sha256: service.terms.sha256,
      subject_type: 'natural',
      delivery: 'self',
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { tx_id: string }).tx_id;
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
  await expect(detail.locator('[data-testid="package-file"][data-kind="pdf"]')).toContainText('PDF 不在程式內顯示');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'mydata-detail');

  // Export, after a confirmation, into a folder the (stub) dialog picks: the files decrypt to exactly what the vault holds.
  const exportDir = mkdtempSync(join(tmpdir(), 'mydata-export-'));
  try {
    dialogAnswers.folders.push(exportDir);
    await detail.getByRole('button', { name: '匯出整個資料包…' }).click();
    const dialog = page.getByRole('dialog', { name: '匯出資料包？' });
    await expect(dialog).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '選擇資料夾並匯出' }).click();
    await expect(detail.getByRole('status')).toContainText('已匯出 2 個檔案');
    const [folder] = readdirSync(exportDir);
    expect(folder).toMatch(/^MyData-sd-household-/);
    const exported = JSON.parse(readFileSync(join(exportDir, folder ?? '', 'household-registration', 'household-registration.json'), 'utf8')) as { tx_id: string };
    expect(exported.tx_id).toBe(txId);
    expect(readFileSync(join(exportDir, folder ?? '', 'household-registration', 'household-registration.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
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

  test('a ZipCrypto package made with zip -P: a wrong ID fails clearly, the right one imports as "issuer not recognised"', async ({ app }) => {
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
      await expect(page.getByText(/已匯入「mydata-package\.zip」：簽章與雜湊值都正確，但簽發憑證的機構不在本程式已知的信任清單上/)).toBeVisible();
      const row = page.getByTestId('package-row');
      await expect(row).toHaveCount(1);
      await expect(row.locator('[data-badge="issuer-not-recognised"]')).toContainText('簽章與雜湊值正確，簽發者不明');
      await expect(row).toContainText('匯入的檔案');

      // The national ID is kept nowhere in the profile.
      for (const entry of readdirSync(app.profileDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const bytes = readFileSync(join(entry.parentPath, entry.name));
        expect(bytes.includes(Buffer.from(FIXTURE_ID)), entry.name).toBe(false);
      }

      await row.getByRole('button', { name: /開啟/ }).click();
      const verdict = page.getByTestId('provider-verdict');
      await expect(verdict).toHaveAttribute('data-badge', 'issuer-not-recognised');
      await expect(verdict.locator('[data-error-code="PACKAGE_CERTIFICATE_UNTRUSTED"]')).toContainText('資料本身未被竄改');
      await page.getByRole('button', { name: '以表格顯示' }).click();
      await expect(page.getByRole('table').first()).toContainText('林美華');
      await expect(page.getByRole('rowheader', { name: '姓名' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, 'mydata-import-detail');

      // A single provider's part, unencrypted, imports without asking for a password.
      await page.getByRole('button', { name: /回到資料包清單/ }).click();
      dialogAnswers.files.push(join(dir, 'API.H01.zip'));
      await page.getByRole('button', { name: '選擇要匯入的檔案…' }).click();
      await expect(page.getByText('已選擇：API.H01.zip')).toBeVisible();
      await expect(page.getByLabel('身分證統一編號（英文字母大寫，共 10 碼）')).toHaveCount(0);
      await page.getByRole('button', { name: '驗證並匯入' }).click();
      await expect(page.getByTestId('package-row')).toHaveCount(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
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

test('My data lists the consent receipts (issue 5, item 5)', async ({ app }) => {
  await app.page.getByRole('navigation').getByRole('link', { name: '我的資料' }).click();
  await app.page.getByRole('link', { name: '查看同意收據' }).click();
  await expect(app.page).toHaveURL(/#\/my-data\/receipts$/);
  await expect(app.page.locator('main h1')).toBeFocused();
});
