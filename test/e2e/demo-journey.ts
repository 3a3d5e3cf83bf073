// A demo journey for the readable views and the screenshots: 王小明 signs in once, consents to six self-downloads and
// downloads each into the vault; then a package's data file can be opened as its readable view.
import type { Page } from '@playwright/test';
import { IdpDriver, deliver } from '../integration/identity/idp-driver.ts';
import { consentToEverything } from '../support/platform.ts';
import { expect, type E2EApp } from './harness.ts';
import { invoke } from './support.ts';

export const DEMO_SERVICES = ['sd-household', 'sd-income-tax', 'sd-labor-insurance', 'sd-health-insurance', 'sd-vehicles', 'sd-company-officer'];
const SERVICES = DEMO_SERVICES;

/** Signs 王小明 in once for all their datasets, consents to each self-download and downloads each into the vault. */
export async function downloadAll(app: E2EApp): Promise<void> {
  const composed = app.composed;
  if (!composed) throw new Error('bridge mode only');
  const services = SERVICES.map((id) => app.sandbox.world.services.find((s) => s.id === id) ?? (() => { throw new Error(id); })());
  const idp = app.sandbox.idps.find((i) => i.id === 'twca');
  if (!idp) throw new Error('sandbox world changed');
  const tx = await composed.identity!.begin({
    subjectType: 'natural',
    issuer: idp.issuer,
    requiredLevel: Math.min(...services.map((s) => s.level_required)),
    datasets: services.flatMap((s) => s.datasets.map((d) => d.id)),
  });
  const url = app.browserOpened.at(-1);
  if (!url) throw new Error('the app did not open the browser');
  await deliver(await new IdpDriver().authorize(url, { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' }));
  await tx.session;
  // One after the other, as a person would: each consent, then its one-time download to the end.
  for (const [i, service] of services.entries()) {
    const txId = await consentToEverything(composed.identity!.platformClient(), service);
    const started = await invoke(app.page, 'package:download', { txId, serviceId: service.id, receiptId: null });
    expect(started.ok).toBe(true);
    await expect
      .poll(async () => JSON.stringify(((await invoke(app.page, 'package:tasks', {})).value as { state: string; error: unknown }[])[i] ?? null), { timeout: 60_000 })
      .toMatch(/"state":"done"/);
  }
}

/** Opens the package of the service named like `service`, and its data file (the one named like `file`, else the first). */
export async function openPackage(page: Page, service: RegExp, file?: RegExp): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: /^(我的資料|My data)$/ }).click();
  await page.getByTestId('package-row').filter({ hasText: service }).getByRole('button', { name: /開啟|Open/ }).click();
  const detail = page.getByTestId('package-detail');
  await expect(detail).toBeVisible();
  const files = detail.locator('[data-testid="package-file"]:is([data-kind="json"],[data-kind="csv"])');
  await (file ? files.filter({ hasText: file }) : files.first()).getByRole('button', { name: /以表格顯示|Show as table/ }).click();
  await expect(detail.getByTestId('dataset-view')).toBeVisible();
}

