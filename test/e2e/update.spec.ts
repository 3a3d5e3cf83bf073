// The update banner (lazy-loaded): progress while downloading, "restart to update" by keyboard, a failed update's
// error, in zh-TW and English, axe-clean. The states are sent the way main sends them (the 'update:state' event);
// the flow behind them is tested in test/unit/update/flow.test.ts, and against electron-updater in the Electron job.
import type { Page } from '@playwright/test';
import type { UpdateState } from '../../electron/contract/index.ts';
import { expect, test } from './harness.ts';
import { tabTo } from './keyboard.ts';
import { axeViolations, setLanguage } from './support.ts';

test.skip(({ app }) => app.mode !== 'bridge', 'sends main\'s events through the bridge');

async function send(page: Page, state: UpdateState): Promise<void> {
  await page.evaluate((s) => {
    (window as unknown as { __mydataEmit(e: string, d: unknown): void }).__mydataEmit('update:state', s);
  }, state);
}

const axe = (page: Page): Promise<string[]> => axeViolations(page, '[data-testid="update-banner"]');

for (const lang of ['zh-TW', 'en'] as const) {
  const T = {
    'zh-TW': { region: '應用程式更新', progress: '更新 0.2.0 的下載進度', restart: '重新啟動並更新', later: '稍後', ready: '更新 0.2.0 已下載並通過檢查', notReady: '目前沒有已下載完成的更新可以安裝。' },
    en: { region: 'App update', progress: 'Download progress of update 0.2.0', restart: 'Restart to update', later: 'Later', ready: 'Update 0.2.0 is downloaded and checked', notReady: 'There is no downloaded update to install yet.' },
  }[lang];

  test(`${lang}: progress, then "restart to update" by keyboard (refused unless an update is ready); a failed update explained`, async ({ app }) => {
    // Three axe runs and two languages' worth of states: more than the default minute on a busy machine.
    test.setTimeout(120_000);
    const page = app.page;
    await setLanguage(page, lang);
    // The bridge has no updater: main says "off", and nothing shows.
    await expect(page.getByTestId('update-banner')).toHaveCount(0);

    await send(page, { state: 'downloading', version: '0.2.0', percent: 42, transferred: 4_200_000, total: 10_000_000 });
    const banner = page.getByRole('region', { name: T.region });
    const bar = banner.getByRole('progressbar', { name: T.progress });
    await expect(bar).toHaveAttribute('value', '42');
    await expect(banner.getByRole('status')).toBeVisible();
    expect(await axe(page)).toEqual([]);

    await send(page, { state: 'ready', version: '0.2.0' });
    await expect(banner).toContainText(T.ready);
    expect(await axe(page)).toEqual([]);
    const restart = banner.getByRole('button', { name: T.restart });
    await tabTo(page, restart);
    await page.keyboard.press('Enter');
    // Main has no downloaded update here, so it refuses: the install only ever happens through a ready updater.
    await expect(banner).toContainText(T.notReady);

    await tabTo(page, banner.getByRole('button', { name: T.later }));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('update-banner')).toHaveCount(0);

    // A failed update says what happened and what to do, offers no restart, and can be put away.
    await send(page, {
      state: 'failed',
      error: { code: 'UPDATE_NOT_TRUSTED', message_zh: '下載的更新未通過簽章或完整性檢查，因此未安裝。', message_en: 'The downloaded update failed its signature or integrity check, so it was not installed.', retryable: false },
    });
    await expect(banner).toContainText(lang === 'zh-TW' ? '未通過簽章' : 'failed its signature');
    await expect(banner.getByRole('button', { name: T.restart })).toHaveCount(0);
    expect(await axe(page)).toEqual([]);
    await banner.getByRole('button', { name: T.later }).click();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  });
}
