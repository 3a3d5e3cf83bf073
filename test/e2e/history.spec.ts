// The history screen end to end (G12, G14, G15, G16): filters, timeline/table and details by keyboard,
// ROC dates, terminated recipients marked, CSV export verified by `npm run history:verify` (and a tampered copy
// refused), PDF report and PDPA letter text extracted with pdftotext, verify on demand (and a tampered log reported),
// retention, "delete everything", axe clean in both languages.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { HistoryEntryInput } from '../../electron/contract/index.ts';
import { test, expect, type E2EApp } from './harness.ts';
import { axeViolations, setSettings, SHELL, type Lang } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DATASETS = {
  tax: { id: 'API.syWqjr4flJ', name: { zh: '綜合所得稅資料', en: 'Individual income tax' }, provider: { id: 'mof-fia', name: { zh: '財政部財政資訊中心', en: 'Fiscal Information Agency, Ministry of Finance' } } },
  labor: { id: 'API.UZQkKbsOpz', name: { zh: '勞保投保資料', en: 'Labor insurance enrolment' }, provider: { id: 'mol-bli', name: { zh: '勞動部勞工保險局', en: 'Bureau of Labor Insurance, Ministry of Labor' } } },
  company: { id: 'company-registration', name: { zh: '公司登記資料', en: 'Company registration' }, provider: { id: 'moea-ca', name: { zh: '經濟部商業發展署', en: 'Administration of Commerce, Ministry of Economic Affairs' } } },
} as const;
const SUNNY = { kind: 'service-provider' as const, id: 'sunny-bank', name: { zh: '晴天商業銀行（虛構）', en: 'Sunny Day Commercial Bank (fictional)' } };
const QUICKLOAN = { kind: 'service-provider' as const, id: 'quickloan', name: { zh: '快易貸股份有限公司（虛構）', en: 'QuickLoan Co., Ltd. (fictional)' } };

interface Seed {
  time: string;
  dataset: keyof typeof DATASETS;
  recipient: 'self' | 'sunny' | 'quickloan';
  result: 'success' | 'refused' | 'failure' | 'partial';
  legal?: boolean;
}

/** Twelve records over five months (Taipei time), three recipients, all four results, one company subject. */
const SEEDS: readonly Seed[] = [
  { time: '2025-01-10T09:00:00+08:00', dataset: 'tax', recipient: 'self', result: 'success' },
  { time: '2025-01-10T09:00:00+08:00', dataset: 'labor', recipient: 'self', result: 'success' },
  { time: '2025-02-03T14:30:00+08:00', dataset: 'tax', recipient: 'sunny', result: 'success' },
  { time: '2025-02-03T14:30:00+08:00', dataset: 'labor', recipient: 'sunny', result: 'partial' },
  { time: '2025-02-20T10:00:00+08:00', dataset: 'tax', recipient: 'quickloan', result: 'success' },
  { time: '2025-03-05T11:00:00+08:00', dataset: 'labor', recipient: 'quickloan', result: 'refused' },
  { time: '2025-03-18T16:45:00+08:00', dataset: 'tax', recipient: 'sunny', result: 'failure' },
  { time: '2025-04-01T08:15:00+08:00', dataset: 'company', recipient: 'self', result: 'success', legal: true },
  { time: '2025-04-22T19:00:00+08:00', dataset: 'labor', recipient: 'sunny', result: 'success' },
  { time: '2025-05-02T07:59:00+08:00', dataset: 'tax', recipient: 'self', result: 'success' },
  { time: '2025-05-31T23:30:00+08:00', dataset: 'labor', recipient: 'quickloan', result: 'success' },
  { time: '2025-05-31T23:40:00+08:00', dataset: 'tax', recipient: 'self', result: 'refused' },
];

function entryOf(seed: Seed, i: number): HistoryEntryInput {
  const d = DATASETS[seed.dataset];
  const recipient = seed.recipient === 'self' ? { kind: 'self' as const } : seed.recipient === 'sunny' ? SUNNY : QUICKLOAN;
  const kind = seed.result === 'refused' ? 'refusal' : seed.result === 'failure' ? 'failure' : recipient.kind === 'self' ? 'self-download' : 'delivery';
  return {
    time: seed.time,
    kind,
    dataset: { id: d.id, name: d.name },
    provider: d.provider,
    service: { id: recipient.kind === 'self' ? 'sp-self-download' : `sp-${recipient.id}`, name: { zh: '測試服務', en: 'Test service' } },
    recipient,
    subject: seed.legal ? { masked_id: '1234****', type: 'legal' } : { masked_id: 'A12345****', type: 'natural' },
    method: seed.legal ? 'moeaca' : 'moica',
    assurance_level: seed.legal ? 1 : 0,
    result: seed.result,
    code: { success: '200', partial: '206', refused: '205', failure: '504' }[seed.result],
    tx_id: `tx-e2e-${String(i).padStart(3, '0')}`,
    receipt_id: seed.result === 'refused' ? null : `rcpt-e2e-${String(i)}`,
    terms_sha256: 'cd'.repeat(32),
  };
}

async function seed(app: E2EApp, seeds: readonly Seed[] = SEEDS): Promise<void> {
  if (!app.composed) throw new Error('history e2e seeds the real history through the composition (bridge mode)');
  const { history } = await app.composed.stores.get();
  for (const [i, s] of seeds.entries()) await history.append(entryOf(s, i));
}

async function openHistory(page: Page, lang: Lang = 'zh-TW'): Promise<void> {
  await page.getByRole('link', { name: SHELL[lang].history, exact: true }).click();
  await expect(page.getByTestId('history-page')).toBeVisible();
}

/** The file a save wrote, from the status line ("已儲存 <path>（…" / "Saved <path> (…"). */
function savedPath(status: string): string {
  const m = /(\/[^\s（(]+\.(?:csv|pdf))/.exec(status);
  if (!m?.[1]) throw new Error(`no saved path in: ${status}`);
  return m[1];
}

/** The PDF's text as pdftotext extracts it: English with single spaces, and a compact form without any whitespace for CJK. */
function pdfText(path: string): { spaced: string; compact: string } {
  const out = spawnSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  return { spaced: out.stdout.replace(/\s+/g, ' '), compact: out.stdout.replace(/\s+/g, '') };
}

function verifyCli(path: string): { status: number | null; stdout: string } {
  const out = spawnSync(process.execPath, [join(ROOT, 'electron/core/history/verify-cli.ts'), '--', path], { encoding: 'utf8', cwd: ROOT });
  return { status: out.status, stdout: out.stdout + out.stderr };
}

test('an empty history says so, shows the genesis chain head, and passes axe', async ({ app }) => {
  const page = app.page;
  await openHistory(page);
  await expect(page.getByTestId('history-empty')).toContainText('尚無分享紀錄');
  await expect(page.getByTestId('history-integrity')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('history-chain-head')).toHaveText(/^[0-9a-f]{64}$/);
  expect(await axeViolations(page)).toEqual([]);
});

test('filters narrow records, count and chart; the table and details work by keyboard; ROC dates', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await setSettings(page, { calendar: 'roc' });
  await openHistory(page);
  const count = page.getByTestId('history-count');
  await expect(count).toHaveText('符合條件的紀錄：12 筆');
  await expect(page.getByTestId('history-record')).toHaveCount(12);
  // ROC calendar: 2025 is 民國114年; the newest day heads the timeline.
  await expect(page.getByTestId('history-timeline').locator('h3').first()).toContainText('民國114年5月31日');
  await expect(page.getByTestId('history-timeline')).not.toContainText('2025年');

  await page.getByLabel('收件者', { exact: true }).selectOption('sunny-bank');
  await expect(count).toHaveText('符合條件的紀錄：4 筆');
  await page.getByLabel('結果', { exact: true }).selectOption('success');
  await expect(count).toHaveText('符合條件的紀錄：2 筆');
  await expect(page.getByTestId('history-record')).toHaveCount(2);
  await expect(page.getByTestId('history-record').first()).toHaveAttribute('data-tx-id', 'tx-e2e-008');
  await expect(page.getByTestId('history-record').last()).toHaveAttribute('data-tx-id', 'tx-e2e-002');
  await page.getByRole('button', { name: '清除篩選' }).click();
  await expect(count).toHaveText('符合條件的紀錄：12 筆');

  await page.getByLabel('資料提供者').selectOption('moea-ca');
  await expect(count).toHaveText('符合條件的紀錄：1 筆');
  await page.getByLabel('資料提供者').selectOption('');
  await page.getByLabel('當事人類型').selectOption('legal');
  await expect(count).toHaveText('符合條件的紀錄：1 筆');
  await page.getByLabel('當事人類型').selectOption('');
  await page.getByLabel('資料集', { exact: true }).selectOption('API.UZQkKbsOpz');
  await expect(count).toHaveText('符合條件的紀錄：5 筆');
  await page.getByLabel('資料集', { exact: true }).selectOption('');

  // Date range: February and March 2025 (Taipei days, inclusive): records 2..6.
  await page.getByLabel('開始日期').fill('2025-02-01');
  await page.getByLabel('結束日期').fill('2025-03-18');
  await expect(count).toHaveText('符合條件的紀錄：5 筆');
  await expect(page.getByText('顯示為：民國114年2月1日')).toBeVisible();
  // The chart follows the filter: 3 transmitted (success/partial) in February; March's refusal and failure do not count.
  await expect(page.getByTestId('history-chart-month-summary')).toContainText('共 3 次傳輸');
  // An instant just before midnight Taipei belongs to that day: 5/31 23:30 is inside "until 5/31".
  await page.getByLabel('開始日期').fill('2025-05-31');
  await page.getByLabel('結束日期').fill('2025-05-31');
  await expect(count).toHaveText('符合條件的紀錄：2 筆');
  await page.getByRole('button', { name: '清除篩選' }).click();

  // Table view, chosen and used by keyboard.
  await page.getByRole('radio', { name: '表格' }).focus();
  await page.keyboard.press('Space');
  const table = page.getByTestId('history-table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveCount(8);
  const detailButton = table.getByRole('button', { name: '綜合所得稅資料 的紀錄明細' }).last();
  await detailButton.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: '紀錄明細' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('history-detail-tx')).toHaveText('tx-e2e-000');
  await expect(dialog.getByTestId('history-detail-receipt').locator('code')).toHaveText('rcpt-e2e-0');
  await expect(dialog.getByRole('link', { name: '查看收據' })).toHaveAttribute('href', '#/my-data/receipts/rcpt-e2e-0');
  await expect(dialog).toContainText('民國114年1月10日');
  await expect(dialog).toContainText('自然人憑證 (0)');
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(detailButton).toBeFocused();
});

test('terminated recipients are marked in the records and in "who has my data" (G16)', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  const who = page.getByTestId('history-who');
  const quick = who.locator('[data-recipient="quickloan"]');
  await expect(quick.getByTestId('history-terminated')).toHaveText('已終止');
  await expect(quick).toContainText('已被平臺終止');
  await expect(quick).toContainText('傳輸次數');
  await expect(who.locator('[data-recipient="sunny-bank"]').getByTestId('history-terminated')).toHaveCount(0);
  // Records to the terminated provider carry the mark too.
  await expect(page.locator('[data-tx-id="tx-e2e-004"]').getByTestId('history-terminated')).toBeVisible();
  // "Who has my data": self with its three datasets, sunny-bank with 3 transmissions (the failure does not count).
  await expect(who.locator('[data-recipient="sunny-bank"]')).toContainText('3');
  await expect(who.locator('[data-recipient="self"]')).toContainText('公司登記資料');
});

test('CSV export has a BOM and the chain head, verifies with npm run history:verify, and a tampered copy fails', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  const head = (await page.getByTestId('history-chain-head').textContent()) ?? '';
  expect(head).toMatch(/^[0-9a-f]{64}$/);
  await page.getByRole('button', { name: '匯出 CSV（全部紀錄）' }).click();
  const status = page.getByTestId('history-export-status');
  await expect(status).toContainText('已儲存');
  await expect(status).toContainText(head);
  const path = savedPath((await status.textContent()) ?? '');
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text).toContain(`chain_head,${head}`);
  expect(text).toContain('records,12');
  expect(text).toContain('晴天商業銀行（虛構）');

  const ok = verifyCli(path);
  expect(ok.stdout).toContain(head);
  expect(ok.status).toBe(0);

  const tampered = path.replace(/\.csv$/, '-tampered.csv');
  writeFileSync(tampered, text.replace('tx-e2e-005', 'tx-e2e-999'), 'utf8');
  const bad = verifyCli(tampered);
  expect(bad.stdout).toContain('BROKEN');
  expect(bad.status).toBe(1);
});

test('"Check an exported history" in the app passes the export and fails a copy tampered with python3, in zh-TW and English, axe clean', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  const head = (await page.getByTestId('history-chain-head').textContent()) ?? '';
  await page.getByRole('button', { name: '匯出 CSV（全部紀錄）' }).click();
  const status = page.getByTestId('history-export-status');
  await expect(status).toContainText('已儲存');
  const path = savedPath((await status.textContent()) ?? '');
  // The tamper is made outside the app: python3 changes a transaction id once, every other byte as exported.
  const tampered = path.replace(/\.csv$/, '-tampered.csv');
  const python = spawnSync('python3', ['-c', 'import sys\nb = open(sys.argv[1], "rb").read()\nassert b"tx-e2e-005" in b\nopen(sys.argv[2], "wb").write(b.replace(b"tx-e2e-005", b"tx-e2e-999", 1))', path, tampered], { encoding: 'utf8' });
  expect(python.status, python.stderr).toBe(0);
  const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);

  const check = page.getByTestId('history-check-export');
  const result = check.getByTestId('history-check-result');
  for (const [language, pick, passed, failed] of [
    ['zh-TW', '選擇 CSV 檔', `「${name(path)}」通過檢查：12 筆紀錄完整`, `「${name(tampered)}」未通過檢查`],
    ['en', 'Choose a CSV file', `“${name(path)}” passed: all 12 records are intact`, `“${name(tampered)}” failed`],
  ] as const) {
    await setSettings(page, { language });
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    await check.getByLabel(pick).setInputFiles(path);
    await expect(result).toHaveAttribute('data-ok', 'true');
    await expect(result).toContainText(passed);
    await expect(result).toContainText(head);
    expect(await axeViolations(page), `${language} passed`).toEqual([]);
    await check.getByLabel(pick).setInputFiles(tampered);
    await expect(result).toHaveAttribute('data-ok', 'false');
    await expect(result).toContainText(failed);
    await expect(result).not.toContainText(head);
    expect(await axeViolations(page), `${language} failed`).toEqual([]);
  }
});

test('the PDF report renders in zh-TW and English with the chain head and the filtered records', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  const head = (await page.getByTestId('history-chain-head').textContent()) ?? '';
  await page.getByLabel('收件者', { exact: true }).selectOption('quickloan');
  await expect(page.getByTestId('history-count')).toHaveText('符合條件的紀錄：3 筆');
  const status = page.getByTestId('history-export-status');

  await page.getByRole('button', { name: 'PDF 報告（中文）' }).click();
  await expect(status).toContainText('.pdf');
  const zhPath = savedPath((await status.textContent()) ?? '');
  expect(readFileSync(zhPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const zh = pdfText(zhPath).compact;
  expect(zh).toContain('MyData分享紀錄報告');
  expect(zh).toContain('收件者：快易貸股份有限公司（虛構）');
  expect(zh).toContain(head);
  expect(zh).toContain('tx-e2e-004');
  expect(zh).not.toContain('tx-e2e-002');

  await page.getByRole('button', { name: 'PDF 報告（英文）' }).click();
  await expect(status).toContainText('-en.pdf');
  const en = pdfText(savedPath((await status.textContent()) ?? ''));
  expect(en.spaced).toContain('MyData sharing history report');
  expect(en.spaced).toContain('recipient: QuickLoan Co., Ltd. (fictional)');
  expect(en.compact).toContain(head);
});

test('a PDPA request letter to a recipient cites its transmissions and the Art. 13 deadlines (G12)', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  await page.getByRole('button', { name: '向 快易貸股份有限公司（虛構） 提出個資請求' }).click();
  const dialog = page.getByRole('dialog', { name: '個資請求書：快易貸股份有限公司（虛構）' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('2 筆傳輸');
  // Nothing chosen: the dialog says so instead of making an empty letter.
  await dialog.getByLabel('查詢或請求閱覽（15 日內答覆）').uncheck();
  await dialog.getByLabel('請求製給複製本（15 日內答覆）').uncheck();
  await dialog.getByRole('button', { name: '產生請求書（PDF）' }).click();
  await expect(dialog.getByRole('alert').first()).toHaveText('請至少選擇一項權利。');
  await dialog.getByLabel('請求刪除（30 日內答覆）').check();
  await dialog.getByLabel('請求停止蒐集、處理或利用（30 日內答覆）').check();
  await dialog.getByLabel('姓名（選填）').fill('王小明');
  await dialog.getByLabel('停止利用或刪除的理由（選填）').fill('該公司已被平臺終止');
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: '產生請求書（PDF）' }).click();
  await expect(dialog).toBeHidden();
  const status = page.getByTestId('history-pdpa-status');
  await expect(status).toContainText('引用 2 筆傳輸');
  const text = pdfText(savedPath((await status.textContent()) ?? '')).compact;
  expect(text).toContain('個人資料當事人權利行使請求書');
  expect(text).toContain('請求刪除');
  expect(text).toContain('請求停止蒐集、處理或利用');
  expect(text).not.toContain('請求製給複製本');
  expect(text).toContain('王小明');
  expect(text).toContain('30日內');
  expect(text).toContain('tx-e2e-004');
  expect(text).toContain('tx-e2e-010');
  // The refusal (tx 005) is not a transmission and is not cited.
  expect(text).not.toContain('tx-e2e-005');
});

test('verify on demand reports a tampered log by position and offers to keep the part that verifies', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  await page.getByRole('button', { name: '立即驗證' }).click();
  await expect(page.getByTestId('history-verify-status')).toContainText('通過');
  // Flip one byte near the end of the log file: the last record no longer authenticates.
  const file = join(app.profileDir, 'history', 'history.log');
  const bytes = readFileSync(file);
  const at = bytes.length - 20;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  await page.getByRole('button', { name: '立即驗證' }).click();
  await expect(page.getByTestId('history-verify-status')).toContainText('發現中斷');
  const panel = page.getByTestId('history-integrity');
  await expect(panel).toHaveAttribute('data-state', 'broken');
  await expect(panel).toContainText('驗證鏈在第');
  await panel.getByRole('button', { name: '保留可驗證的紀錄' }).click();
  const dialog = page.getByRole('dialog', { name: '保留可驗證的紀錄' });
  await expect(dialog).toContainText('證據');
  await dialog.getByRole('button', { name: '保留可驗證的紀錄' }).click();
  // The last record (the damaged one) is dropped, the damaged file is kept as evidence, and the chain verifies again.
  await expect(page.getByTestId('history-verify-status')).toContainText('移除 1 筆');
  await expect(panel).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('history-count')).toHaveText('符合條件的紀錄：11 筆');
  const evidence = /證據檔：(\S+)/.exec((await page.getByTestId('history-verify-status').textContent()) ?? '')?.[1] ?? '';
  expect(existsSync(evidence)).toBe(true);
});

test('long histories page by fifty', async ({ app }) => {
  const many = Array.from({ length: 55 }, (_, i): Seed => ({ time: new Date(Date.parse('2025-06-01T00:00:00+08:00') + i * 3_600_000).toISOString(), dataset: 'tax', recipient: 'sunny', result: 'success' }));
  await seed(app, many);
  const page = app.page;
  await openHistory(page);
  await expect(page.getByTestId('history-record')).toHaveCount(50);
  await page.getByRole('button', { name: '再顯示 5 筆' }).click();
  await expect(page.getByTestId('history-record')).toHaveCount(55);
  await expect(page.getByText('已顯示 55 筆，共 55 筆')).toBeVisible();
});

test('retention is at least two years and saved; deleting everything says what is lost first', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await openHistory(page);
  const retention = page.getByLabel('保存期限（年）');
  await expect(retention.locator('option').first()).toHaveText('2 年');
  await retention.selectOption('5');
  await page.getByRole('button', { name: '儲存保存期限' }).click();
  await expect(page.getByTestId('history-manage-status')).toContainText('保存期限已設為 5 年');
  const settings = await page.evaluate(() =>
    (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean; value: { historyRetentionYears: number } }> } }).mydata.invoke('settings:get', {}),
  );
  expect(settings.value.historyRetentionYears).toBe(5);

  await page.getByRole('button', { name: '刪除全部分享紀錄' }).click();
  let dialog = page.getByRole('dialog', { name: '確定要刪除全部分享紀錄？' });
  await expect(dialog).toContainText('將永久刪除全部 12 筆紀錄');
  await expect(dialog).toContainText('無法復原');
  // The safe choice has focus: Enter keeps the history.
  await expect(dialog.getByRole('button', { name: '保留紀錄' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('history-record')).toHaveCount(12);

  await page.getByRole('button', { name: '刪除全部分享紀錄' }).click();
  dialog = page.getByRole('dialog', { name: '確定要刪除全部分享紀錄？' });
  await dialog.getByRole('button', { name: '刪除全部 12 筆紀錄' }).click();
  await expect(page.getByTestId('history-manage-status')).toContainText('已刪除全部分享紀錄');
  await expect(page.getByTestId('history-empty')).toBeVisible();
  const { history } = await (app.composed ?? { stores: { get: () => Promise.reject(new Error('bridge only')) } }).stores.get();
  expect(history.count).toBe(0);
});

test('in English: labels, dates, terminated mark, the chart as a table, and axe clean', async ({ app }) => {
  await seed(app);
  const page = app.page;
  await setSettings(page, { language: 'en' });
  await openHistory(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
  await expect(page.getByTestId('history-count')).toHaveText('Matching records: 12');
  await expect(page.getByTestId('history-timeline').locator('h3').first()).toContainText('31 May 2025');
  await expect(page.getByTestId('history-who').locator('[data-recipient="quickloan"]')).toContainText('Terminated');
  await page.getByText('Show the chart’s data as a table').click();
  const months = page.getByTestId('history-chart-table-month');
  await expect(months.getByRole('row')).toHaveCount(6);
  await expect(months).toContainText('February 2025');
  await expect(page.getByTestId('history-chart-month')).toHaveAttribute('role', 'img');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('radio', { name: 'Table' }).check();
  await expect(page.getByTestId('history-table')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  expect(existsSync(join(app.profileDir, 'history', 'history.log'))).toBe(true);
});

test('home lists the most recent transmissions from the real history and links to the rest', async ({ app }) => {
  test.skip(!app.composed, 'seeds the history through the composed app (bridge mode)');
  await seed(app);
  await app.page.reload();
  const recent = app.page.getByTestId('home-history');
  await expect(recent.getByRole('listitem')).toHaveCount(5);
  // Newest first: the refusal of 2025-05-31 23:40 heads the list.
  await expect(recent.getByRole('listitem').first()).toContainText('綜合所得稅資料');
  await expect(recent.getByRole('listitem').first()).toContainText('拒絕');
  await app.page.getByRole('link', { name: /查看全部 12 筆分享紀錄/ }).click();
  await expect(app.page.locator('main h1')).toBeFocused();
  await expect(app.page).toHaveURL(/#\/history$/);
});
