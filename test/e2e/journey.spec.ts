// "Get my data from MyData" end to end (bridge): the app opens the sandbox's website-style page, the test plays the browser and saves the download into the temporary downloads folder (partial file first), the app offers it, imports it as unsigned with the ID, deletes the plain copy, and the PDF opens in the viewer with the ID typed at pdf.js's prompt; a dropped file imports in English. axe on each screen.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type E2EApp } from './harness.ts';
import { axeViolations, dropZip } from './support.ts';

const WANG_ID = 'H126047583';

async function openMyData(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: /^(我的資料|My data)$/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: /已保存的資料包|Kept packages/ })).toBeVisible();
}

/** The browser's part: the demo page's first link, downloaded. */
async function downloadFromWebsite(app: E2EApp, url: string): Promise<{ name: string; bytes: Uint8Array }> {
  const page = await (await fetch(url)).text();
  const href = /href="(\/website\/download\?person=[^"]+)"/.exec(page)?.[1] ?? '';
  const response = await fetch(new URL(href, app.sandbox.platform));
  const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '');
  return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

test.skip(({ app }) => app.mode !== 'bridge', 'plays the browser beside the bridged app');
// Two imports, a PDF and four axe runs each: slower than the default on a busy machine.
test.setTimeout(180_000);

test('the journey in zh-TW: website opened, download found, imported as unsigned, plain copy deleted, PDF opened with the ID', async ({ app }) => {
  const page = app.page;
  await openMyData(page);
  const journey = page.getByTestId('journey');
  await journey.getByRole('button', { name: '開啟 MyData 網站並等待下載' }).click();
  await expect(journey).toHaveAttribute('data-state', 'watching');
  await expect(journey.getByRole('status')).toContainText('正在等待下載出現在');
  expect(app.browserOpened.at(-1)).toBe(`${app.sandbox.platform}/website/`);
  expect(await axeViolations(page)).toEqual([]);

  const { name, bytes } = await downloadFromWebsite(app, app.browserOpened.at(-1) ?? '');
  const partial = join(app.downloadsDir, `${name}.crdownload`);
  writeFileSync(partial, bytes.subarray(0, 64));
  await page.waitForTimeout(800);
  await expect(journey).toHaveAttribute('data-state', 'watching');
  writeFileSync(partial, bytes);
  renameSync(partial, join(app.downloadsDir, name));

  await expect(journey.getByText(`找到新的下載：${name}`)).toBeVisible();
  const id = journey.getByLabel('身分證統一編號（英文字母大寫，共 10 碼）');
  await expect(id).toHaveAttribute('type', 'password');
  await id.fill('A123456789');
  await journey.getByRole('button', { name: '驗證並匯入' }).click();
  await expect(journey.locator('[data-error-code="PACKAGE_WRONG_ID"]')).toBeVisible();
  await id.fill(WANG_ID);
  await journey.getByRole('button', { name: '驗證並匯入' }).click();
  await expect(journey.locator('[data-verdict="unsigned"]')).toContainText('此下載沒有資料提供者簽章', { timeout: 60_000 });
  await expect(journey.locator('.mydata-digest')).toHaveText(/^[0-9a-f]{64}$/);
  expect(await axeViolations(page)).toEqual([]);

  await journey.getByRole('button', { name: '刪除下載資料夾中的檔案' }).click();
  await expect(journey.getByText('已刪除下載資料夾中的檔案。')).toBeVisible();
  expect(existsSync(join(app.downloadsDir, name))).toBe(false);

  const row = page.getByTestId('package-row');
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-badge="unsigned"]').first()).toContainText('此下載沒有資料提供者簽章');
  await expect(page.locator('[data-badge="verified"]')).toHaveCount(0);

  // The PDF stays encrypted in the vault: the viewer asks for the ID (pdf.js onPassword) and opens it in memory.
  await row.getByRole('button', { name: /開啟/ }).click();
  await page.getByRole('button', { name: /顯示 PDF/ }).first().click();
  const prompt = page.getByTestId('pdf-password');
  await expect(prompt).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await prompt.getByLabel('身分證統一編號（英文字母大寫，共 10 碼）').fill('A123456789');
  await prompt.getByRole('button', { name: '開啟' }).click();
  await expect(page.getByTestId('pdf-password').getByRole('alert')).toContainText('密碼不正確');
  await page.getByTestId('pdf-password').getByLabel('身分證統一編號（英文字母大寫，共 10 碼）').fill(WANG_ID);
  await page.getByTestId('pdf-password').getByRole('button', { name: '開啟' }).click();
  await expect(page.getByTestId('pdf-viewer')).toHaveAttribute('data-pages', '1');
  await expect(page.getByTestId('pdf-text')).toContainText('Household registration');
  expect(await axeViolations(page)).toEqual([]);

  // The ID is nowhere in the profile's bytes.
  for (const entry of readdirSync(app.profileDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) expect(readFileSync(join(entry.parentPath, entry.name)).includes(Buffer.from(WANG_ID)), entry.name).toBe(false);
  }
});

test('in English: a website download dropped on the window imports as "No provider signatures in this download"', async ({ app }) => {
  const page = app.page;
  expect(await page.evaluate(() => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }).mydata.invoke('settings:update', { language: 'en' }).then((r) => r.ok))).toBe(true);
  await openMyData(page);
  await page.getByRole('button', { name: 'Open the MyData website and wait for the download' }).click();
  // The website is opened by main once the click's request arrives: read what it opened only after that.
  await expect(page.getByTestId('journey')).toHaveAttribute('data-state', 'watching');
  const { name, bytes } = await downloadFromWebsite(app, app.browserOpened.at(-1) ?? '');
  await page.getByTestId('journey').getByRole('button', { name: 'Stop waiting' }).click();
  await expect(page.getByText('Stopped waiting for the download.')).toBeVisible();

  const drop = page.getByTestId('import-dropzone');
  await dropZip(drop, name, bytes);
  await expect(page.getByText(`Chosen: ${name}`)).toBeVisible();
  await page.getByLabel('National ID number (capital letter first, 10 characters)').last().fill(WANG_ID);
  await page.getByRole('button', { name: 'Verify and import' }).last().click();
  await expect(page.locator('[data-verdict="unsigned"]')).toContainText('there are no provider signatures in this download');
  await expect(page.getByTestId('package-row').locator('[data-badge="unsigned"]').first()).toContainText('No provider signatures in this download');
  expect(await axeViolations(page)).toEqual([]);
});
