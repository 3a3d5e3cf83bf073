// Identity verification end to end (G2, G3, G8): the real renderer and the real IdentityService against the
// sandbox IdPs. The app's window is driven with the keyboard alone; the test plays the system browser in a second page
// (also by keyboard), the IdP redirects to the app's loopback, and the app shows the result. Both subject types, both
// languages, a cancel at the IdP, methods below the required level, the header badge and sign-out, axe on every state,
// and no code or token anywhere in the renderer.
// The need is set through the route's query: #/verify?level=0 demands level 0 (see renderer/src/features/identity/model.ts).
import type { Locator, Page } from '@playwright/test';
import { test, expect, type E2EApp } from './harness.ts';
import { verifyInBrowser } from './idp-browser.ts';
import { isFocused, tabTo } from './keyboard.ts';
import { axeViolations, invoke, setLanguage, type Lang } from './support.ts';

const T = {
  'zh-TW': {
    verifyLink: '驗證身分',
    pageTitle: '驗證身分',
    individual: '個人',
    company: '企業代表',
    subjectLegend: '以什麼身分驗證？',
    providerLegend: '身分驗證機構',
    methodLegend: '驗證方式',
    start: '在瀏覽器中開始驗證',
    waiting: '請在瀏覽器中完成驗證',
    liveWaiting: '瀏覽器已開啟，請在瀏覽器中完成驗證。',
    reopen: '再次開啟瀏覽器',
    cancel: '取消驗證',
    cancelled: '已取消身分驗證。',
    chooseHeading: '選擇身分與驗證方式',
    result: '身分驗證完成',
    error: '身分驗證未完成',
    retry: '重新開始驗證',
    signOut: '登出',
    signedOut: '已登出，身分驗證已清除。',
    level: (l: number) => `等級 ${l}`,
    timeLeft: '剩餘 10 分鐘',
    moica: '自然人憑證',
    moeaca: '工商憑證',
    twca: 'TWCA 身分驗證（沙盒）',
    cht: '中華電信 身分驗證（沙盒）',
    weaker: '低於所需的等級 0',
    legalOnly: '企業代表只能使用工商憑證。',
    noneAnywhere: '沒有任何認可的驗證機構提供這次需要的等級。',
    representing: '代表 青山綠能股份有限公司（53028473）',
    cancelledAtIdp: '您在身分驗證機構的頁面取消或拒絕了驗證。',
  },
  en: {
    verifyLink: 'Verify identity',
    pageTitle: 'Verify your identity',
    individual: 'Individual',
    company: 'Company representative',
    subjectLegend: 'Verify as',
    providerLegend: 'Identity provider',
    methodLegend: 'Verification method',
    start: 'Start verification in the browser',
    waiting: 'Complete the verification in your browser',
    liveWaiting: 'The browser is open. Complete the verification there.',
    reopen: 'Open the browser again',
    cancel: 'Cancel verification',
    cancelled: 'The verification was cancelled.',
    chooseHeading: 'Choose who you are and how to verify',
    result: 'Identity verified',
    error: 'The verification did not complete',
    retry: 'Start the verification again',
    signOut: 'Sign out',
    signedOut: 'Signed out; the verification was cleared.',
    level: (l: number) => `level ${l}`,
    timeLeft: '10 min left',
    moica: 'Citizen Digital Certificate (MOICA)',
    moeaca: 'Business certificate (MOEACA)',
    twca: 'TWCA identity verification (sandbox)',
    cht: 'Chunghwa Telecom identity verification (sandbox)',
    weaker: 'weaker than the level 0 needed',
    legalOnly: 'Company representatives can use the business certificate only.',
    noneAnywhere: 'No accredited provider offers the level needed this time.',
    representing: 'for 青山綠能股份有限公司 (53028473)',
    cancelledAtIdp: 'You cancelled or declined at the identity provider’s page.',
  },
} as const;

/** The sandbox personas used here (resources/sandbox/personas.json). */
const WANG = { subject: 'wang-hsiao-ming', pin: '246810', nationalId: 'H126047583', name: '王小明', masked: 'H12604****' };
const QINGSHAN = { subject: 'qingshan-green', pin: '112233', nationalId: 'K135792468', name: '陳志強', masked: 'K13579****', ban: '53028473' };

/** IDENTITY_SHOTS=<dir> also writes a PNG of every state checked with axe, to look at. */
const SHOTS = process.env['IDENTITY_SHOTS'];

async function expectAxeClean(page: Page, state: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${state.replace(/[^A-Za-z0-9-]+/g, '_')}.png`, fullPage: true });
  expect(await axeViolations(page), `axe on ${state}`).toEqual([]);
}

/** axe in each explicit theme (the badge sits on the banner's colours), then back to following the system. */
async function expectAxeCleanInThemes(page: Page, state: string): Promise<void> {
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    await invokeOk(page, 'settings:update', { theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expectAxeClean(page, `${state} ${theme}`);
  }
  await invokeOk(page, 'settings:update', { theme: 'system' });
}

async function invokeOk(page: Page, channel: string, payload: unknown): Promise<unknown> {
  const answer = await invoke(page, channel, payload);
  expect(answer.ok, `${channel} answered ok`).toBe(true);
  return answer.value;
}

/** Tabs into a radio group, then moves with the arrow keys until `radio` is focused (arrows also check it). */
async function arrowTo(page: Page, group: Locator, radio: Locator): Promise<void> {
  const inGroup = async (): Promise<boolean> => group.evaluate((el) => el.contains(document.activeElement)).catch(() => false);
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < 30 && !(await inGroup()); i++) await page.keyboard.press(key);
  }
  expect(await inGroup(), 'focus reached the radio group').toBe(true);
  for (let i = 0; i < 12; i++) {
    if (await isFocused(radio)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`arrow keys never reached ${radio.toString()}`);
}

/** Waits until the app has asked the system browser to open `count` URLs; returns the newest. */
async function opened(app: E2EApp, count: number): Promise<string> {
  await expect.poll(() => app.browserOpened.length, { message: 'the app asked to open the browser' }).toBeGreaterThanOrEqual(count);
  const url = app.browserOpened.at(-1);
  if (!url) throw new Error('no URL opened');
  return url;
}

/** Everything the renderer holds as text: the DOM (attributes included), storage, the title and the URL. */
async function rendererText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const storage = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i) ?? ''}=${s.getItem(s.key(i) ?? '') ?? ''}`).join('\n');
    return [document.documentElement.outerHTML, storage(localStorage), storage(sessionStorage), document.title, location.href, document.cookie].join('\n');
  });
}

async function expectNoSecretsInRenderer(page: Page, callback: URL, nationalId: string): Promise<void> {
  const text = await rendererText(page);
  const code = callback.searchParams.get('code');
  const state = callback.searchParams.get('state');
  expect(code, 'the loopback received a code').toBeTruthy();
  expect(text.includes(code ?? '\u0000'), 'the authorization code is not in the renderer').toBe(false);
  expect(text.includes(state ?? '\u0000'), 'the state is not in the renderer').toBe(false);
  expect(text.includes(nationalId), 'the full national ID is not in the renderer').toBe(false);
  // No JWT (ID token, DPoP proof, request object) and no DPoP/Bearer token text.
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/);
  expect(text).not.toMatch(/\b(DPoP|Bearer) [A-Za-z0-9._~+/-]{16,}/);
  expect(text).not.toMatch(/request_uri|urn:ietf:params:oauth:request_uri/);
}

/** From anywhere: the header's "Verify identity" link, by keyboard, to the /verify screen. */
async function openVerifyByKeyboard(page: Page, lang: Lang): Promise<void> {
  const link = page.getByRole('banner').getByRole('link', { name: T[lang].verifyLink });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/verify$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(T[lang].pageTitle);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
}

function badge(page: Page): Locator {
  return page.getByTestId('identity-badge');
}

const JOURNEYS = [
  { lang: 'zh-TW', subject: 'natural', provider: 'cht' },
  { lang: 'zh-TW', subject: 'legal', provider: 'twca' },
  { lang: 'en', subject: 'natural', provider: 'twca' },
  { lang: 'en', subject: 'legal', provider: 'twca' },
] as const;

for (const journey of JOURNEYS) {
  const { lang } = journey;
  const t = T[lang];
  const legal = journey.subject === 'legal';
  const persona = legal ? QINGSHAN : WANG;

  test(`${lang}: a ${legal ? 'company representative verifies with 工商憑證' : 'person verifies with 自然人憑證'} by keyboard alone; the badge shows it; sign-out clears it`, async ({ app }) => {
    const page = app.page;
    await setLanguage(page, lang);
    await expect(badge(page)).toHaveAttribute('data-state', 'none');
    await openVerifyByKeyboard(page, lang);
    await expect(page.getByRole('button', { name: t.start })).toBeVisible();
    await expectAxeClean(page, `${lang} choose`);

    // Choose the subject type with the arrow keys (個人 is the default).
    const subjectGroup = page.getByRole('group', { name: t.subjectLegend });
    await arrowTo(page, subjectGroup, subjectGroup.getByRole('radio', { name: legal ? t.company : t.individual, exact: true }));
    await expect(subjectGroup.getByRole('radio', { name: legal ? t.company : t.individual, exact: true })).toBeChecked();

    // The providers for this subject type: company representatives get only the one that offers 工商憑證.
    const providerGroup = page.getByRole('group', { name: t.providerLegend });
    await expect(providerGroup.getByRole('radio')).toHaveCount(legal ? 1 : 2);
    const providerRadio = providerGroup.getByRole('radio', { name: t[journey.provider], exact: true });
    await arrowTo(page, providerGroup, providerRadio);
    await expect(providerRadio).toBeChecked();

    const methodGroup = page.getByRole('group', { name: t.methodLegend });
    const methodName = legal ? t.moeaca : t.moica;
    const methodRadio = methodGroup.getByRole('radio', { name: new RegExp(`^${methodName.replace(/[()]/g, '\\$&')}`) });
    if (legal) {
      await expect(methodGroup.getByRole('radio')).toHaveCount(1);
      await expect(methodGroup).toContainText(t.legalOnly);
    }
    await arrowTo(page, methodGroup, methodRadio);
    await expect(methodRadio).toBeChecked();
    await expectAxeClean(page, `${lang} ${journey.subject} choices made`);

    // Start: the browser opens, and the step waits, saying so (live region) with focus on its heading.
    await tabTo(page, page.getByRole('button', { name: t.start }));
    await page.keyboard.press('Enter');
    const waitingHeading = page.getByRole('heading', { name: t.waiting });
    await expect(waitingHeading).toBeFocused();
    await expect(page.getByTestId('identity-live')).toHaveText(t.liveWaiting);
    await expect(page.getByTestId('identity-live')).toHaveAttribute('role', 'status');
    const url = await opened(app, 1);
    const authorization = new URL(url);
    expect(authorization.searchParams.get('request_uri'), 'PAR: the browser gets only a request_uri').toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(authorization.searchParams.has('code_challenge'), 'PAR: nothing else travels in the URL').toBe(false);
    await expectAxeClean(page, `${lang} waiting`);

    // "Open the browser again" opens the same authorization URL a second time.
    await tabTo(page, page.getByRole('button', { name: t.reopen }));
    await page.keyboard.press('Enter');
    expect(await opened(app, 2)).toBe(url);

    // The test plays the browser: the IdP's pages by keyboard, then the redirect to the app's loopback.
    const { callback, text } = await verifyInBrowser(app, url, { subject: persona.subject, method: legal ? 'moeaca' : 'moica', pin: persona.pin });
    expect(text, 'the page after the callback says to return to the app, in both languages').toMatch(/MyData Desktop/);
    expect(text.includes(callback.searchParams.get('code') ?? '\u0000'), 'the callback page shows no code').toBe(false);

    // The result: focus on its heading, who / how / level, announced politely.
    const resultHeading = page.getByRole('heading', { name: t.result });
    await expect(resultHeading).toBeFocused();
    await expect(page.getByTestId('identity-live')).toContainText(persona.name);
    const facts = page.getByTestId('identity-session-facts');
    await expect(facts).toContainText(persona.name);
    await expect(page.getByTestId('identity-result-ended')).toHaveCount(0);
    await expect(facts).toContainText(persona.masked);
    await expect(facts).toContainText(methodName);
    await expect(facts).toContainText(t.level(legal ? 0.5 : 0));
    if (legal) await expect(facts).toContainText(QINGSHAN.ban);
    await expectAxeCleanInThemes(page, `${lang} ${journey.subject} verified`);

    // The header badge: name, masked ID, company, method, level, time left; the time left is not a live region.
    const b = badge(page);
    await expect(b).toHaveAttribute('data-state', 'verified');
    await expect(b).toContainText(persona.name);
    await expect(b).toContainText(persona.masked);
    await expect(b).toContainText(methodName);
    await expect(b).toContainText(t.level(legal ? 0.5 : 0));
    await expect(b.getByTestId('identity-time-left')).toHaveText(t.timeLeft);
    expect(await b.getByTestId('identity-time-left').evaluate((el) => el.closest('[role="status"],[aria-live],[role="alert"],[role="timer"]') === null)).toBe(true);
    if (legal) await expect(b).toContainText(t.representing);
    else await expect(b.locator('.identity-badge-company')).toHaveCount(0);

    // Main holds the same session; the renderer never sees a code, a token or the full ID.
    const session = await invoke(page, 'identity:session', {});
    expect(session.ok).toBe(true);
    expect(session.value).toMatchObject({ displayName: persona.name, maskedId: persona.masked, subjectType: journey.subject, method: legal ? 'moeaca' : 'moica' });
    await expectNoSecretsInRenderer(page, callback, persona.nationalId);

    // Sign out by keyboard: the session is dropped, the badge offers to verify, and focus lands on that link.
    await tabTo(page, b.getByRole('button', { name: t.signOut }));
    await page.keyboard.press('Enter');
    await expect(b).toHaveAttribute('data-state', 'none');
    const verifyLink = b.getByRole('link', { name: t.verifyLink });
    await expect(verifyLink).toBeFocused();
    await expect(b.getByRole('status')).toHaveText(t.signedOut);
    await expect(b).not.toContainText(persona.masked);
    // The result on the page says that this verification has ended.
    await expect(page.getByTestId('identity-result-ended')).toBeVisible();
    const after = await invoke(page, 'identity:session', {});
    expect(after).toEqual({ ok: true, value: null });
    await expectAxeClean(page, `${lang} signed out`);
  });
}

for (const lang of ['zh-TW', 'en'] as const) {
  const t = T[lang];

  test(`${lang}: a cancel at the IdP shows the error in both languages with what to do; a cancel in the app goes back to the choices`, async ({ app }) => {
    const page = app.page;
    await setLanguage(page, lang);
    await openVerifyByKeyboard(page, lang);
    await tabTo(page, page.getByRole('button', { name: t.start }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: t.waiting })).toBeFocused();

    await verifyInBrowser(app, await opened(app, 1), { subject: WANG.subject, method: 'moica', pin: WANG.pin, cancel: true });
    const errorHeading = page.getByRole('heading', { name: t.error });
    await expect(errorHeading).toBeFocused();
    const error = page.getByTestId('identity-error');
    await expect(error).toHaveAttribute('data-error-code', 'IDENTITY_CANCELLED_AT_IDP');
    const messages = error.locator('.error-message');
    await expect(messages).toHaveCount(2);
    // The current language first, each marked with its lang; then what to do.
    await expect(messages.nth(0)).toHaveAttribute('lang', lang);
    await expect(messages.nth(0)).toContainText(t.cancelledAtIdp);
    await expect(messages.nth(1)).toHaveAttribute('lang', lang === 'zh-TW' ? 'en' : 'zh-TW');
    await expect(messages.nth(1)).toContainText(T[lang === 'zh-TW' ? 'en' : 'zh-TW'].cancelledAtIdp);
    await expect(error.getByRole('listitem')).not.toHaveCount(0);
    await expect(page.getByTestId('identity-live')).toContainText(t.cancelledAtIdp);
    await expect(badge(page)).toHaveAttribute('data-state', 'none');
    await expectAxeClean(page, `${lang} error`);

    // Start again from the error, then cancel in the app: back to the choices, said so, focus on their heading.
    await tabTo(page, page.getByRole('button', { name: t.retry }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: t.waiting })).toBeFocused();
    await opened(app, 2);
    await tabTo(page, page.getByRole('button', { name: t.cancel }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: t.chooseHeading })).toBeFocused();
    await expect(page.getByTestId('identity-live')).toHaveText(t.cancelled);
    await expect(page.getByTestId('identity-cancelled')).toHaveText(t.cancelled);
    await expect(page.getByRole('button', { name: t.start })).toBeVisible();
    await expectAxeClean(page, `${lang} cancelled in the app`);
  });

  test(`${lang}: methods below the required level are shown disabled with their reason, reachable but not choosable (#/verify?level=0)`, async ({ app }) => {
    const page = app.page;
    await setLanguage(page, lang);
    await page.evaluate(() => {
      location.hash = '#/verify?level=0';
    });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.pageTitle);
    const providerGroup = page.getByRole('group', { name: t.providerLegend });
    await expect(providerGroup.getByRole('radio', { name: t.twca, exact: true })).toBeChecked();
    const methods = page.getByRole('group', { name: t.methodLegend });
    // TWCA offers MOICA (level 0, qualifies) and hw-bank-cert 0.2, sw-bank-cert 2.1, otp 4 (all weaker).
    await expect(methods.getByRole('radio')).toHaveCount(4);
    await expect(methods.locator('input[aria-disabled="true"]')).toHaveCount(3);
    for (const id of ['hw-bank-cert', 'sw-bank-cert', 'otp']) {
      const radio = methods.locator(`input[value="${id}"]`);
      await expect(radio).toHaveAttribute('aria-disabled', 'true');
      // Not natively disabled: it stays in the tab/arrow order, so screen readers reach it and read why.
      expect(await radio.evaluate((el) => (el as HTMLInputElement).disabled)).toBe(false);
      await expect(radio).toHaveAccessibleDescription(new RegExp(t.weaker));
    }
    const moica = methods.locator('input[value="moica"]');
    await expect(moica).not.toHaveAttribute('aria-disabled', 'true');
    await expect(moica).toBeChecked();

    // The arrow keys reach a disabled method (it is read with its reason) but it never becomes the choice.
    await arrowTo(page, methods, methods.locator('input[value="otp"]'));
    await expect(methods.locator('input[value="otp"]')).not.toBeChecked();
    await expect(methods.locator('input:checked')).toHaveCount(1);
    await expect(moica).toBeChecked();
    await expectAxeClean(page, `${lang} level 0, individual`);

    // A company representative at level 0: 工商憑證 is level 0.5, so nothing qualifies and nothing can start.
    const subjectGroup = page.getByRole('group', { name: t.subjectLegend });
    await arrowTo(page, subjectGroup, subjectGroup.getByRole('radio', { name: t.company, exact: true }));
    await expect(methods.getByRole('radio')).toHaveCount(1);
    await expect(methods.locator('input[value="moeaca"]')).toHaveAttribute('aria-disabled', 'true');
    await expect(methods).toContainText(t.noneAnywhere);
    const start = page.getByRole('button', { name: t.start });
    await expect(start).toHaveAttribute('aria-disabled', 'true');
    await tabTo(page, start);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(app.browserOpened, 'nothing opens when no method qualifies').toEqual([]);
    await expectAxeCleanInThemes(page, `${lang} level 0, company representative`);
  });
}
