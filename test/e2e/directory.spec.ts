// The platform directory end to end against the real sandbox: home (who is verified,
// services that cannot be used and since when, late announcements), the catalogue's search and filters, the
// service detail's consent gate (G7, G16), organisations with categories and authorities (G6), banners by scope
// and working-day lead times (G13), offline behaviour; both languages, keyboard where it matters, axe clean.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { Page } from '@playwright/test';
import type { Notice } from '../../electron/contract/index.ts';
import { test, expect, navigate, type E2EApp } from './harness.ts';
import { axeViolations, setSettings, SHELL } from './support.ts';

async function setSettingsShown(page: Page, patch: Record<string, string>): Promise<void> {
  await setSettings(page, patch);
  await expect(page.locator('html')).toHaveAttribute('lang', patch['language'] ?? /.*/);
}

async function go(page: Page, hash: string): Promise<void> {
  await navigate(page, hash);
  await expect(page.getByTestId('directory-status')).toBeVisible();
}

/** The ids of the catalogue entries shown, in order. */
async function shownServices(page: Page): Promise<string[]> {
  return page.locator('.service-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-service-id') ?? ''));
}

test('home shows who is verified (nobody yet), the suspended and terminated services since when, and which announcements came late', async ({ app }) => {
  const page = app.page;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('首頁');
  const identity = page.getByTestId('home-identity');
  await expect(identity.locator('[data-verified="false"]')).toContainText('尚未驗證身分');
  await expect(identity.getByRole('link', { name: '驗證身分' })).toHaveAttribute('href', '#/verify');

  const unavailable = page.getByTestId('home-unavailable');
  const exam = unavailable.locator('[data-service-id="sd-exam"]');
  await expect(exam).toContainText('下載我的國家考試及格資料');
  await expect(exam.locator('[data-status]')).toHaveAttribute('data-status', 'suspended');
  // The urgent suspension took effect 2026-11-20 12:00 Taipei time and runs to the end of January 2027.
  await expect(exam.locator('.since')).toHaveText(/自 2026年11月20日 12:00 起/);
  await expect(exam.locator('.until')).toContainText('2027年1月31日');
  const quick = unavailable.locator('[data-service-id="sp-quickloan-credit"]');
  await expect(quick.locator('[data-status]')).toHaveAttribute('data-status', 'terminated');
  await expect(quick.locator('[data-org-standing="terminated"]')).toHaveText('已終止介接（2026年12月28日）');
  await expect(unavailable.locator('[data-service-id]')).toHaveCount(2);

  const notices = page.getByTestId('home-notices');
  // n-quickloan-termination: announced Mon 12-21 for 12-28. Counting back from the effective day (not counted),
  // 12-24, 12-23, 12-22 and 12-21 are working days (12-25 is a holiday): 4, fewer than 7 — late; due by 12-16.
  const late = notices.locator('[data-notice-id="n-quickloan-termination"]');
  await expect(late).toHaveAttribute('data-timing', 'late');
  await expect(late).toContainText('逾期公告');
  await expect(late).toContainText('於生效前 4 個工作日公告（規定至少 7 個工作日，最晚應於 2026年12月16日 公告）');
  await expect(notices.locator('[data-notice-id="n-exam-suspension"]')).toHaveAttribute('data-timing', 'urgent');
  await expect(notices.locator('[data-notice-id="n-terms-household"]')).toHaveAttribute('data-timing', 'on-time');
  await expect(notices.locator('[data-notice-id="n-terms-household"]')).toContainText('於生效前 7 個工作日公告');
  await expect(notices).toContainText('共 4 則公告，其中 1 則逾期公告。');
  await expect(page.getByTestId('home-history')).toContainText('尚無分享紀錄');
  expect(await axeViolations(page)).toEqual([]);

  // English, then the ROC calendar: the same facts, in the person's language and calendar, Taipei time.
  await setSettingsShown(page, { language: 'en' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await expect(identity.locator('[data-verified="false"]')).toContainText('You have not verified your identity');
  await expect(exam.locator('.since')).toContainText('20 November 2026');
  await expect(exam.locator('.since')).toContainText('12:00');
  await expect(late).toContainText('LATE');
  await expect(late).toContainText('Announced 4 working days before it takes effect');
  expect(await axeViolations(page)).toEqual([]);
  await setSettingsShown(page, { language: 'zh-TW', calendar: 'roc' });
  await expect(exam.locator('.since')).toContainText('民國115年11月20日');
});

test('home shortcuts: download → the catalogue filtered to self-download; import → My data; by keyboard', async ({ app }) => {
  const page = app.page;
  const download = page.getByRole('link', { name: '下載我的資料' });
  await download.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/services\?kind=self-download$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('服務目錄');
  await expect(page.getByLabel('服務類型', { exact: true })).toHaveValue('self-download');
  const ids = await shownServices(page);
  expect(ids.sort()).toEqual(app.sandbox.world.services.filter((s) => s.kind === 'self-download').map((s) => s.id).sort());
  await page.goBack();
  await page.getByRole('link', { name: '匯入資料包' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/my-data$/);
});

test('catalogue: every service, search in both languages, filters by subject type, data provider, category and status', async ({ app }) => {
  const page = app.page;
  await go(page, '#/services');
  expect((await shownServices(page)).sort()).toEqual(app.sandbox.world.services.map((s) => s.id).sort());
  const count = page.getByTestId('catalogue-count');

  // Search by keyboard: Chinese name, English provider name, a purpose word.
  const search = page.getByRole('searchbox', { name: '搜尋' });
  await search.focus();
  await page.keyboard.type('晴天');
  await expect.poll(() => shownServices(page)).toEqual(['sp-bank-loan']);
  await expect(count).toHaveText(`顯示 1 項服務，共 ${app.sandbox.world.services.length} 項。`);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('examination record');
  await expect.poll(() => shownServices(page)).toEqual(['sd-exam']);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('ｑｕｉｃｋｌｏａｎ'); // full-width Latin folds to ASCII
  await expect.poll(() => shownServices(page)).toEqual(['sp-quickloan-credit']);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');

  // Subject type by keyboard: focus the select and step to the second option (個人 → 企業).
  const subject = page.getByLabel('對象', { exact: true });
  await subject.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(subject).toHaveValue('legal');
  await expect.poll(async () => (await shownServices(page)).sort()).toEqual(['sd-company', 'sp-energy-subsidy']);
  await subject.selectOption('');

  await page.getByLabel('機關類別', { exact: true }).selectOption('financial-institution');
  await expect.poll(async () => (await shownServices(page)).sort()).toEqual(['sp-bank-loan', 'sp-quickloan-credit']);
  await page.getByLabel('狀態', { exact: true }).selectOption('terminated');
  await expect.poll(() => shownServices(page)).toEqual(['sp-quickloan-credit']);
  await page.getByLabel('機關類別', { exact: true }).selectOption('');
  await page.getByLabel('狀態', { exact: true }).selectOption('suspended');
  await expect.poll(() => shownServices(page)).toEqual(['sd-exam']);
  await page.getByLabel('狀態', { exact: true }).selectOption('');

  // Data provider: the Ministry of Examination's data is used by one service only.
  await page.getByLabel('資料提供者', { exact: true }).selectOption('moex');
  await expect.poll(() => shownServices(page)).toEqual(['sd-exam']);
  await page.getByRole('button', { name: '清除搜尋與篩選' }).click();
  await expect.poll(async () => (await shownServices(page)).length).toBe(app.sandbox.world.services.length);

  // Each entry: the provider with category and approving authority (G6), status, level needed.
  const loan = page.locator('[data-service-id="sp-bank-loan"]');
  await expect(loan).toContainText('晴天商業銀行（虛構）');
  await expect(loan).toContainText('金融機構；核准機關：金融監督管理委員會');
  await expect(loan).toContainText('需以驗證等級 1 或更嚴格的方式驗證身分');
  const pilot = page.locator('[data-service-id="sd-health-insurance"]');
  await expect(pilot.locator('[data-warning-code="SERVICE_STATUS_PILOT"]')).toBeVisible();
  const quick = page.locator('[data-service-id="sp-quickloan-credit"]');
  await expect(quick.locator('[data-org-standing="terminated"]').first()).toContainText('已終止介接');
  // Service and organisation banners on the affected entries only.
  await expect(page.locator('[data-service-id="sd-exam"] .notice-banner[data-notice-id="n-exam-suspension"]')).toBeVisible();
  await expect(quick.locator('.notice-banner[data-notice-id="n-quickloan-termination"]')).toBeVisible();
  await expect(loan.locator('.notice-banner')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);

  // English search on the English screen.
  await setSettingsShown(page, { language: 'en' });
  await page.getByRole('searchbox', { name: 'Search' }).fill('grant');
  await expect.poll(() => shownServices(page)).toEqual(['sp-scholarship']);
  await expect(page.getByTestId('catalogue-count')).toHaveText(`Showing 1 of ${app.sandbox.world.services.length} services.`);
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
  await expect(page.locator('[data-service-id="sp-bank-loan"]')).toContainText('Financial institution; approved by Financial Supervisory Commission');
  expect(await axeViolations(page)).toEqual([]);
});

test('a suspended or terminated service cannot be consented to: the button is disabled and the notice and dates shown', async ({ app }) => {
  const page = app.page;
  await go(page, '#/services');
  // Reach the suspended service's detail by keyboard from its catalogue entry.
  await page.locator('[data-service-id="sd-exam"] h2 a').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/services\/sd-exam$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('下載我的國家考試及格資料');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  const consent = page.getByTestId('consent-action');
  await expect(consent).toBeDisabled();
  await expect(consent).toHaveAccessibleDescription(/暫停/);
  const refusal = page.locator('[data-gate="refused"]');
  await expect(refusal).toHaveAttribute('data-refusal-code', 'SERVICE_SUSPENDED');
  await expect(refusal).toContainText('自 2026年11月20日 12:00 起');
  await expect(refusal).toContainText('預計至 2027年1月31日');
  await expect(page.locator('.notice-banner[data-notice-id="n-exam-suspension"]')).toContainText('緊急公告');
  await expect(page.locator('.notice-item[data-notice-id="n-exam-suspension"]')).toContainText('資安事件');
  expect(await axeViolations(page)).toEqual([]);

  // Terminated: the provider is marked, consent impossible.
  await go(page, '#/services/sp-quickloan-credit');
  await expect(page.getByTestId('consent-action')).toBeDisabled();
  await expect(page.locator('[data-gate="refused"]')).toHaveAttribute('data-refusal-code', 'SERVICE_TERMINATED');
  await expect(page.locator('.service-detail [data-org-id="quickloan"] [data-org-standing="terminated"]').first()).toContainText('已終止介接（2026年12月28日）');
  await expect(page.locator('.notice-item[data-notice-id="n-quickloan-termination"]')).toHaveAttribute('data-timing', 'late');
  expect(await axeViolations(page)).toEqual([]);

  // A live service: consent leads on to the consent journey; fields grouped by data provider, a field without purpose flagged (G10).
  await go(page, '#/services/sp-bank-loan');
  const live = page.getByTestId('consent-action');
  await expect(live).toBeEnabled();
  await expect(live).toHaveAttribute('href', '#/services/sp-bank-loan/consent');
  await expect(page.locator('.provider-group')).toHaveCount(3);
  await expect(page.locator('.provider-group[data-provider-id="moi-dhr"] tr[data-field="household_members"]')).toContainText('選填');
  const unstated = page.locator('tr[data-purpose="missing"]');
  await expect(unstated).toHaveCount(1);
  await expect(unstated).toHaveAttribute('data-field', 'employer_name');
  await expect(unstated).toContainText('未說明目的');
  await expect(page.getByTestId('qualifying-methods')).toContainText('自然人憑證');
  expect(await axeViolations(page)).toEqual([]);

  await setSettingsShown(page, { language: 'en' });
  await expect(unstated).toContainText('No purpose stated');
  await go(page, '#/services/sd-exam');
  await expect(page.getByTestId('consent-action')).toBeDisabled();
  await expect(page.locator('[data-gate="refused"]')).toContainText('Since 20 November 2026');
  await expect(page.locator('[data-gate="refused"]')).toContainText('suspended');
  expect(await axeViolations(page)).toEqual([]);
});

test('organisations: categories, approving authorities, roles, services with statuses, terminated marking; both languages', async ({ app }) => {
  const page = app.page;
  const nav = page.getByRole('navigation', { name: SHELL['zh-TW'].nav });
  await nav.getByRole('link', { name: SHELL['zh-TW'].organizations, exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('機關');
  const categories = new Set(app.sandbox.world.organizations.map((o) => o.category));
  await expect(page.locator('.org-category')).toHaveCount(categories.size);
  await expect(page.getByRole('heading', { level: 2, name: '金融機構' })).toBeVisible();
  const quick = page.locator('.org-entry[data-org-id="quickloan"]');
  await expect(quick).toHaveAttribute('data-org-status', 'terminated');
  await expect(quick.getByRole('heading', { level: 3 })).toContainText('已終止介接（2026年12月28日）');
  await expect(quick).toContainText('金融監督管理委員會');
  await expect(quick).toContainText('違反資料使用目的');
  await expect(quick.locator('[data-service-id="sp-quickloan-credit"] [data-status]')).toHaveAttribute('data-status', 'terminated');
  await expect(quick.locator('.notice-banner[data-notice-id="n-quickloan-termination"]')).toBeVisible();
  const moex = page.locator('.org-entry[data-org-id="moex"]');
  await expect(moex).toContainText('其他院所屬機關');
  await expect(moex).toContainText('考試院');
  await expect(moex).toContainText('資料提供者');
  await expect(moex.locator('[data-service-id="sd-exam"] [data-status]').first()).toHaveAttribute('data-status', 'suspended');
  await expect(page.locator('.org-entry[data-org-status="terminated"]')).toHaveCount(
    app.sandbox.world.organizations.filter((o) => o.status === 'terminated').length,
  );
  expect(await axeViolations(page)).toEqual([]);

  await setSettingsShown(page, { language: 'en' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Organisations');
  await expect(quick.getByRole('heading', { level: 3 })).toContainText('Terminated from the platform (28 December 2026)');
  await expect(moex).toContainText('Agency of another Yuan');
  await expect(moex).toContainText('Examination Yuan');
  expect(await axeViolations(page)).toEqual([]);
});

test('announcements on demand: a new platform notice appears on every screen after Refresh; a 2027 lead time is an estimate', async ({ app }) => {
  const page = app.page;
  const injected: Notice = {
    id: 'n-e2e-platform-change',
    scope: 'platform',
    kind: 'change',
    urgent: false,
    announced_at: new Date().toISOString(),
    effective_from: '2027-01-08T00:00:00+08:00',
    effective_until: null,
    text: { zh: '平臺將更新身分驗證流程（測試公告）。', en: 'The platform will update its verification flow (test notice).' },
  };
  await go(page, '#/announcements');
  await expect(page.locator('.notice-item')).toHaveCount(app.sandbox.world.notices.length);
  await expect(page.getByTestId('late-count')).toHaveText(`共 ${app.sandbox.world.notices.length} 則公告，其中 1 則逾期公告。`);
  expect(await axeViolations(page)).toEqual([]);
  app.sandbox.world.notices.push(injected);
  try {
    // Without a refresh the copy already fetched stays; the button asks the platform again.
    await expect(page.locator(`[data-notice-id="${injected.id}"]`)).toHaveCount(0);
    const refresh = page.getByRole('button', { name: '重新取得公告與服務目錄' });
    await refresh.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: '已從平臺取得最新資料。' })).toBeVisible();
    const item = page.locator(`.notice-item[data-notice-id="${injected.id}"]`);
    await expect(item).toHaveAttribute('data-timing', 'on-time');
    await expect(item.locator('[data-exactness="estimate"]')).toHaveText('估計');
    await expect(item).toContainText('此數字為估計');
    for (const hash of ['#/', '#/services', '#/services/sd-household', '#/organizations', '#/announcements']) {
      await go(page, hash);
      const banner = page.locator(`.notice-banner[data-notice-id="${injected.id}"]`);
      await expect(banner, hash).toHaveCount(1);
      await expect(banner).toHaveAttribute('data-scope', 'platform');
      await expect(banner).toContainText('平臺將更新身分驗證流程');
      await expect(banner).toContainText('估計');
    }
    expect(await axeViolations(page)).toEqual([]);
    await setSettingsShown(page, { language: 'en' });
    await expect(page.locator(`.notice-banner[data-notice-id="${injected.id}"]`)).toContainText('Estimate');
    await expect(page.locator(`.notice-item[data-notice-id="${injected.id}"]`)).toContainText('This figure is an estimate');
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    const at = app.sandbox.world.notices.findIndex((n) => n.id === injected.id);
    if (at >= 0) app.sandbox.world.notices.splice(at, 1);
  }
});

/** A pass-through proxy to the sandbox, so the app can be given a platform address that later stops answering. */
async function startProxy(target: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

async function fetchedAt(app: E2EApp): Promise<string> {
  return app.page.evaluate(async () => {
    const answer = await (window as unknown as { mydata: { invoke(c: string, p: unknown): Promise<{ ok: true; value: { fetchedAt: string } }> } }).mydata.invoke(
      'platform:directory',
      { refresh: false },
    );
    return answer.value.fetchedAt;
  });
}

test('offline: the last copy is shown, marked offline with the time it was fetched, in both languages', async ({ app }) => {
  test.skip(app.mode === 'electron', 'pointing the app at another platform address needs the bridge harness');
  const proxy = await startProxy(app.sandbox.platform);
  try {
    await app.restart({ platformUrl: proxy.url });
    let page = app.page;
    await expect(page.getByTestId('directory-status')).toHaveAttribute('data-offline', 'false');
    const firstFetch = await fetchedAt(app);
    await new Promise<void>((ok) => {
      proxy.server.close(() => ok());
      proxy.server.closeAllConnections();
    });

    await app.restart();
    page = app.page;
    const status = page.getByTestId('directory-status');
    await expect(status).toHaveAttribute('data-offline', 'true');
    expect(await fetchedAt(app)).toBe(firstFetch);
    const time = new Intl.DateTimeFormat('zh-TW-u-ca-gregory', { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Taipei' }).format(new Date(firstFetch));
    await expect(status).toContainText('離線');
    await expect(status).toContainText(`以下為 ${time}（臺北時間）取得的最後一份資料`);
    // The last announcements and services are still shown.
    await expect(page.getByTestId('home-notices').locator('[data-notice-id="n-quickloan-termination"]')).toHaveAttribute('data-timing', 'late');
    await expect(page.getByTestId('home-unavailable').locator('[data-service-id="sd-exam"]')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    // Refresh while still offline: the copy stays, and the screen says so.
    await page.getByRole('button', { name: '重新取得公告與服務目錄' }).click();
    await expect(page.getByRole('status').filter({ hasText: '仍無法連線到平臺' })).toBeVisible();
    await expect(status).toHaveAttribute('data-offline', 'true');

    await go(page, '#/services');
    await expect(page.locator('.service-entry')).toHaveCount(app.sandbox.world.services.length);
    await setSettingsShown(page, { language: 'en' });
    await expect(page.getByTestId('directory-status')).toContainText('Offline');
    await expect(page.getByTestId('directory-status')).toContainText('This is the last copy, fetched');
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    proxy.server.close();
    proxy.server.closeAllConnections();
  }
});

test('the directory screens stay axe clean in the dark and high-contrast themes', async ({ app }) => {
  const page = app.page;
  for (const theme of ['dark', 'high-contrast'] as const) {
    await setSettingsShown(page, { theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const hash of ['#/', '#/services', '#/services/sp-quickloan-credit', '#/organizations', '#/announcements']) {
      await go(page, hash);
      expect(await axeViolations(page), `${theme} ${hash}`).toEqual([]);
    }
  }
});
