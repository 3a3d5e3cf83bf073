// Consent end to end (G5, G7, G10, G11, G12, G16): the real renderer, the real ConsentService and the sandbox.
// The app's window is driven by keyboard alone; the test plays the system browser for the IdP in a second page.
// Journeys: a self-download consent (zh-TW), a refusal (English), a service provider's request arriving by deep link while
// the app runs (zh-TW) and one that starts the app (English), a suspended service; axe on every screen state.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, type E2EApp } from './harness.ts';
import { deliveredFields } from '../support/packages.ts';
import { verifyInBrowser } from './idp-browser.ts';
import { tabTo } from './keyboard.ts';
import { expectAxeClean, setLanguage, type Lang } from './support.ts';

const WANG = { subject: 'wang-hsiao-ming', pin: '246810' };
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

const T = {
  'zh-TW': {
    consentLink: '同意提供資料', // the directory's service detail action
    termsShown: '已顯示完整條款。',
    expand: '顯示完整條款',
    terms: '服務條款全文',
    start: '在瀏覽器中開始驗證',
    agree: '我已閱讀並同意上述服務條款與資料提供範圍',
    consent: '同意並提供資料',
    refuse: '拒絕提供',
    confirmConsent: '確認同意',
    confirmRefuse: '確認拒絕',
    consentSent: '已送出同意',
    refusalSent: '已送出拒絕',
    downloadStarted: '資料下載已開始',
    receipt: '查看這次的收據',
    save: '儲存收據 PDF',
    saved: '已儲存收據 PDF',
    delivered: '狀態：已交付（201）',
    returnTo: '回到服務提供者',
    give: (f: string) => `提供「${f}」`,
    blocked: '目前無法同意這項服務',
  },
  en: {
    consentLink: 'Consent',
    termsShown: 'The full terms have been shown.',
    expand: 'Show the full terms',
    terms: 'Full text of the terms',
    start: 'Start verification in the browser',
    agree: 'I have read and agree to the terms and the data listed above',
    consent: 'Consent and give the data',
    refuse: 'Refuse',
    confirmConsent: 'Confirm consent',
    confirmRefuse: 'Confirm refusal',
    consentSent: 'Consent sent',
    refusalSent: 'Refusal sent',
    downloadStarted: 'The download has started',
    receipt: 'See the receipt for this decision',
    save: 'Save the receipt as PDF',
    saved: 'Receipt PDF saved',
    delivered: 'Status: delivered (201)',
    returnTo: 'Return to the service provider',
    give: (f: string) => `Give “${f}”`,
    blocked: 'You cannot consent to this service now',
  },
} as const;

async function press(page: Page, target: Locator, key: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/** The embedded verification step: start it by keyboard, play the browser, wait for the screen to say it qualifies. */
async function verifyHere(app: E2EApp, lang: Lang): Promise<void> {
  const page = app.page;
  const before = app.browserOpened.length;
  await press(page, page.getByRole('button', { name: T[lang].start }), 'Enter');
  await expect.poll(() => app.browserOpened.length).toBeGreaterThan(before);
  await verifyInBrowser(app, app.browserOpened.at(-1)!, { subject: WANG.subject, method: 'moica', pin: WANG.pin });
  await expect(page.getByTestId('consent-identity-ok')).toBeVisible({ timeout: 15_000 });
  // The method is named as a person knows it, not by its protocol id.
  await expect(page.getByTestId('consent-identity-ok')).toContainText(lang === 'zh-TW' ? '自然人憑證' : 'Citizen Digital Certificate');
  await expect(page.getByTestId('consent-identity-ok')).not.toContainText('moica');
}

/** Reads the terms to their end with the keyboard: focus the region, then End. */
async function readTerms(page: Page, lang: Lang): Promise<void> {
  await press(page, page.getByRole('region', { name: T[lang].terms }), 'End');
  await expect(page.getByText(T[lang].termsShown)).toBeVisible();
}

async function openServiceConsent(page: Page, lang: Lang, serviceId: string): Promise<void> {
  await page.evaluate((id) => { location.hash = `#/services/${id}`; }, serviceId);
  const action = page.getByTestId('consent-action');
  await expect(action).toBeVisible();
  await press(page, action, 'Enter');
  await expect(page).toHaveURL(new RegExp(`#/services/${serviceId}/consent$`));
  await expect(page.locator('.consent')).toBeVisible();
  expect(lang).toBeTruthy();
}

test('zh-TW: a self-download consent by keyboard — controls wait for the full terms and the verification; receipt saved as PDF', async ({ app }) => {
  const page = app.page;
  const t = T['zh-TW'];
  await openServiceConsent(page, 'zh-TW', 'sd-income-tax');
  const consent = page.getByRole('button', { name: t.consent });
  const agree = page.getByRole('checkbox', { name: t.agree });
  await expect(consent).toBeDisabled();
  await expect(agree).toBeDisabled();
  await expectAxeClean(page, 'zh-TW consent before terms');

  // G11: the consent controls stay disabled until the terms have been shown to their end.
  await readTerms(page, 'zh-TW');
  await expect(agree).toBeEnabled();
  await expect(consent).toBeDisabled();
  await verifyHere(app, 'zh-TW');
  await expect(consent).toBeDisabled();
  await press(page, agree, 'Space');
  await expect(agree).toBeChecked();
  await expect(consent).toBeEnabled();
  await expectAxeClean(page, 'zh-TW consent ready');

  await press(page, consent, 'Enter');
  const dialog = page.getByTestId('consent-confirm');
  await expect(dialog).toBeVisible();
  // The modal dialog holds focus; Escape goes back to the screen with focus on the button that opened it.
  await expect(dialog.getByRole('button', { name: t.confirmConsent })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(consent).toBeFocused();
  await press(page, consent, 'Enter');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('consent-confirm-sentence')).toHaveText('您同意由 財政部財政資訊中心 將「綜合所得稅資料」的 4 個欄位提供給您本人，一次下載。');
  await expectAxeClean(page, 'zh-TW confirmation');
  await press(page, dialog.getByRole('button', { name: t.confirmConsent }), 'Enter');

  const outcome = page.getByTestId('consent-outcome');
  await expect(outcome.getByRole('heading', { name: t.consentSent })).toBeFocused();
  await expect(outcome).toContainText(t.downloadStarted);
  const txId = await outcome.getAttribute('data-tx-id');
  expect(txId).toMatch(/^[A-Za-z0-9_-]+$/);
  await expectAxeClean(page, 'zh-TW consent sent');

  await press(page, outcome.getByRole('link', { name: t.receipt }), 'Enter');
  await expect(page.locator('.receipt')).toHaveAttribute('data-decision', 'consent');
  await expect(page.locator('.receipt')).toContainText(txId!);
  await expectAxeClean(page, 'zh-TW receipt');
  await press(page, page.getByRole('button', { name: t.save }), 'Enter');
  const status = page.getByTestId('receipt-save-status');
  await expect(status).toContainText(t.saved);
  const path = (await status.innerText()).replace(/^.*：/, '').trim();
  expect(path.startsWith(app.profileDir)).toBe(true);
  expect(existsSync(path)).toBe(true);
  if (hasPoppler) {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('MyData同意收據');
    expect(text).toContain('綜合所得稅資料');
    expect(text).toContain(txId!);
  }

  // The receipts list under My data has it.
  await page.evaluate(() => { location.hash = '#/my-data/receipts'; });
  await expect(page.locator(`[data-receipt-id^="rcpt-"]`)).toHaveCount(1);
  await expectAxeClean(page, 'zh-TW receipts list');
});

test('both languages: a change of language or theme mid-consent keeps what was read, ticked, the open confirmation and the outcome', async ({ app }) => {
  const page = app.page;
  const settings = async (patch: { language?: Lang; theme?: 'light' | 'dark' | 'high-contrast' }) => {
    const answer = await page.evaluate(
      (p) => (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }).mydata.invoke('settings:update', p),
      patch,
    );
    expect(answer.ok).toBe(true);
    if (patch.language) await expect(page.locator('html')).toHaveAttribute('lang', patch.language);
    if (patch.theme) await expect(page.locator('html')).toHaveAttribute('data-theme', patch.theme);
  };
  await openServiceConsent(page, 'zh-TW', 'sd-income-tax');
  await readTerms(page, 'zh-TW');
  await verifyHere(app, 'zh-TW');
  await press(page, page.getByRole('checkbox', { name: T['zh-TW'].agree }), 'Space');
  await expect(page.getByRole('checkbox', { name: T['zh-TW'].agree })).toBeChecked();

  // Ticked, then the language changes: the terms stay read and the box ticked, now in English.
  await settings({ language: 'en' });
  await expect(page.getByText(T.en.termsShown)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: T.en.agree })).toBeChecked();
  await expect(page.getByRole('button', { name: T.en.consent })).toBeEnabled();
  await expectAxeClean(page, 'en consent ready after a language change');

  // The confirmation open, then the theme and the language change: it stays open, its sentence in the new language.
  await press(page, page.getByRole('button', { name: T.en.consent }), 'Enter');
  const dialog = page.getByTestId('consent-confirm');
  await expect(dialog).toBeVisible();
  await settings({ theme: 'dark' });
  await expect(dialog).toBeVisible();
  await settings({ language: 'zh-TW' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('consent-confirm-sentence')).toHaveText('您同意由 財政部財政資訊中心 將「綜合所得稅資料」的 4 個欄位提供給您本人，一次下載。');
  await expectAxeClean(page, 'zh-TW confirmation after a language and theme change');
  await press(page, dialog.getByRole('button', { name: T['zh-TW'].confirmConsent }), 'Enter');

  // The outcome stays through a change of language and of theme, for the same transaction.
  const outcome = page.getByTestId('consent-outcome');
  await expect(outcome.getByRole('heading', { name: T['zh-TW'].consentSent })).toBeVisible();
  const txId = await outcome.getAttribute('data-tx-id');
  expect(txId).toMatch(/^[A-Za-z0-9_-]+$/);
  await settings({ language: 'en', theme: 'high-contrast' });
  await expect(outcome.getByRole('heading', { name: T.en.consentSent })).toBeVisible();
  await expect(outcome).toHaveAttribute('data-tx-id', txId!);
  await expect(outcome).toContainText(T.en.downloadStarted);
  await expectAxeClean(page, 'en consent sent after a language and theme change');
  await settings({ language: 'zh-TW', theme: 'light' });
  await expect(outcome.getByRole('heading', { name: T['zh-TW'].consentSent })).toBeVisible();
  await expect(outcome).toHaveAttribute('data-tx-id', txId!);
});

test('en: a refusal is sent (205) by keyboard and recorded in the history, with its receipt', async ({ app }) => {
  const page = app.page;
  const t = T.en;
  await setLanguage(page, 'en');
  await openServiceConsent(page, 'en', 'sd-labor-insurance');
  const refuse = page.getByRole('button', { name: t.refuse, exact: true });
  await expect(refuse).toBeDisabled(); // a refusal needs a verified identity too
  await verifyHere(app, 'en');
  await expect(refuse).toBeEnabled();
  await press(page, refuse, 'Enter');
  const dialog = page.getByTestId('consent-confirm');
  await expect(page.getByTestId('consent-confirm-sentence')).toHaveText('You refuse the download of “Labor insurance enrolment”; the platform is told, and Bureau of Labor Insurance, Ministry of Labor send no data.');
  await expectAxeClean(page, 'en refusal confirmation');
  await press(page, dialog.getByRole('button', { name: t.confirmRefuse }), 'Enter');
  const outcome = page.getByTestId('consent-outcome');
  await expect(outcome.getByRole('heading', { name: t.refusalSent })).toBeFocused();
  await expect(outcome).toContainText('status 205');
  await expectAxeClean(page, 'en refusal sent');

  const txId = (await outcome.getAttribute('data-tx-id'))!;
  const { history } = await app.composed!.stores.get();
  expect(history.records().filter((r) => r.tx_id === txId).map((r) => [r.kind, r.result, r.code, r.dataset.id])).toEqual([['refusal', 'refused', '205', 'API.UZQkKbsOpz']]);
});

test('zh-TW: a service provider request arriving by deep link — a declined field reaches no one; delivered; return to the provider', async ({ app }) => {
  test.skip(!app.composed, 'deep links are injected through the composed app (bridge mode)');
  const page = app.page;
  const t = T['zh-TW'];
  const bank = app.sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan')!;
  const { deep_link } = await bank.createRequest({ state: 'e2e' });
  app.composed!.receiveDeepLink(deep_link);
  await expect(page).toHaveURL(/#\/requests\/urn%3Amydata%3Arequest%3A/);
  await expect(page.getByTestId('consent-provider')).toHaveText('晴天商業銀行（虛構）');
  await expect(page.getByTestId('consent-return-host')).toHaveText(new URL(bank.origin).host);
  await expect(page.locator('tr[data-field="employer_name"]')).toHaveAttribute('data-flagged', 'true');
  await expectAxeClean(page, 'zh-TW request');

  // G10: decline the optional household members by keyboard.
  const members = page.getByRole('checkbox', { name: t.give('戶內人口') });
  await press(page, members, 'Space');
  await expect(members).not.toBeChecked();
  // G11 by the explicit expansion this time.
  await press(page, page.getByRole('button', { name: t.expand }), 'Enter');
  await expect(page.getByText(t.termsShown)).toBeVisible();
  await verifyHere(app, 'zh-TW');
  await press(page, page.getByRole('checkbox', { name: t.agree }), 'Space');
  await press(page, page.getByRole('button', { name: t.consent }), 'Enter');
  await expect(page.getByTestId('consent-confirm-sentence')).toContainText('提供給 晴天商業銀行（虛構）');
  await press(page, page.getByTestId('consent-confirm').getByRole('button', { name: t.confirmConsent }), 'Enter');

  const outcome = page.getByTestId('consent-outcome');
  await expect(page.getByTestId('consent-delivery-state')).toHaveText(t.delivered, { timeout: 20_000 });
  await expect(outcome.locator('li[data-outcome="delivered"]')).toHaveCount(3);
  await expectAxeClean(page, 'zh-TW delivered');
  const txId = (await outcome.getAttribute('data-tx-id'))!;
  const delivery = await bank.waitForDelivery(txId);
  const fields = await deliveredFields(delivery.bytes!);
  expect(fields['API.UDauDOLyZg']).toEqual(['address', 'name']);

  await press(page, outcome.getByRole('button', { name: new RegExp(t.returnTo) }), 'Enter');
  await expect.poll(() => app.browserOpened.at(-1)).toBe(`${bank.origin}/return`);
  // Outside that flow the provider's origin is not allowlisted.
  await expect(app.composed!.openExternal(`${bank.origin}/return`)).rejects.toMatchObject({ code: 'EXTERNAL_URL_REFUSED' });
});

test('en: a request link that starts the app opens its consent screen; a suspended service cannot be consented', async ({ app }) => {
  test.skip(!app.composed, 'deep links are injected through the composed app (bridge mode)');
  const page = app.page;
  await setLanguage(page, 'en');
  const bank = app.sandbox.serviceProviders.find((s) => s.service.id === 'sp-bank-loan')!;
  const { deep_link } = await bank.createRequest();
  // As at start-up: main queues the link before the window asks for it (deeplink:pending).
  app.composed!.receiveDeepLink(deep_link);
  await page.reload();
  await expect(page).toHaveURL(/#\/requests\/urn%3Amydata%3Arequest%3A/);
  await expect(page.getByTestId('consent-provider')).toHaveText('Sunny Day Commercial Bank (fictional)');
  await expect(page.getByTestId('consent-purpose')).not.toBeEmpty();
  await expectAxeClean(page, 'en request at start-up');

  await page.evaluate(() => { location.hash = '#/services/sd-exam/consent'; });
  await expect(page.getByRole('alert').filter({ hasText: T.en.blocked })).toBeVisible();
  await expect(page.getByRole('button', { name: T.en.consent })).toHaveCount(0);
  await expectAxeClean(page, 'en suspended');
});
