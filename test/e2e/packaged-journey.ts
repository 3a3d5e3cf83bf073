// One journey a person takes on the demo platform, written against the app's window only (no composition, no
// bridge), so that it can drive the packaged app: a self-download of 戶籍資料, the history showing it, its receipt,
// and the package's PDF opened in the viewer (pdf.js and its worker served from app://).
import { expect, type Page } from '@playwright/test';
import { verifyInBrowser } from './idp-browser.ts';

const WANG = { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' };

export interface JourneyBrowser {
  /** A page of a browser playing the person's system browser (the IdP's pages are completed there). */
  page: Page;
  /** The next URL the app asked the system browser to open. */
  nextOpenedUrl(): Promise<string>;
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/** Consents to sd-household for self-download and follows it through My data, the history and the receipt. */
export async function selfDownloadJourney(page: Page, browser: JourneyBrowser): Promise<{ txId: string }> {
  await go(page, '#/services/sd-household');
  await page.getByTestId('consent-action').click();
  await expect(page.locator('.consent')).toBeVisible();

  // G11: the terms to their end first.
  await page.getByRole('region', { name: '服務條款全文' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByText('已顯示完整條款。')).toBeVisible();

  await page.getByRole('button', { name: '在瀏覽器中開始驗證' }).click();
  await verifyInBrowser({ page: browser.page }, await browser.nextOpenedUrl(), WANG);
  await expect(page.getByTestId('consent-identity-ok')).toBeVisible({ timeout: 20_000 });

  await page.getByRole('checkbox', { name: '我已閱讀並同意上述服務條款與資料提供範圍' }).check();
  await page.getByRole('button', { name: '同意並提供資料' }).click();
  await page.getByTestId('consent-confirm').getByRole('button', { name: '確認同意' }).click();
  const outcome = page.getByTestId('consent-outcome');
  await expect(outcome).toContainText('資料下載已開始');
  const txId = await outcome.getAttribute('data-tx-id');
  expect(txId).toMatch(/^[A-Za-z0-9_-]+$/);
  if (!txId) throw new Error('no tx id');

  // My data: downloaded, verified, encrypted, listed.
  await go(page, '#/my-data');
  const row = page.getByTestId('package-row');
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toContainText('下載我的戶籍資料');
  await expect(row.locator('[data-badge="verified"]')).toBeVisible();

  // The package's PDF in the viewer: pdf.js and its worker come from the app's own origin.
  await row.getByRole('button', { name: /開啟/ }).click();
  const pdfFile = page.getByTestId('package-detail').locator('[data-testid="package-file"][data-kind="pdf"]');
  await pdfFile.getByRole('button', { name: '顯示 PDF' }).click();
  const viewer = pdfFile.getByTestId('pdf-viewer');
  await expect(viewer.getByRole('status')).toHaveText('第 1 頁，共 1 頁', { timeout: 20_000 });
  await expect(viewer.getByTestId('pdf-text')).toContainText(txId);

  // The history has the transmission, with this tx id (G14).
  await go(page, '#/history');
  await expect(page.getByTestId('history-page')).toBeVisible();
  await expect(page.locator(`[data-testid="history-record"][data-tx-id="${txId}"]`).first()).toBeVisible();
  await expect(page.getByTestId('history-integrity')).toHaveAttribute('data-state', 'ok');

  // The consent receipt opens and names the transaction.
  await go(page, '#/my-data/receipts');
  const receiptRow = page.locator('[data-receipt-id^="rcpt-"]');
  await expect(receiptRow).toHaveCount(1);
  await go(page, `#/my-data/receipts/${encodeURIComponent((await receiptRow.getAttribute('data-receipt-id')) ?? '')}`);
  await expect(page.locator('.receipt')).toHaveAttribute('data-decision', 'consent');
  await expect(page.locator('.receipt')).toContainText(txId);
  return { txId };
}
