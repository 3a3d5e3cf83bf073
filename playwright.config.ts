// End-to-end tests: the real renderer in Debian's Chromium with the real dispatcher bridged in (ARCHITECTURE §4),
// or the real app through Playwright's _electron where an Electron binary exists (test/e2e/harness.ts decides).
import { defineConfig } from '@playwright/test';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: process.env['CI'] ? 2 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalSetup: './test/e2e/global-setup.ts',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    locale: 'zh-TW',
    timezoneId: 'Asia/Taipei',
    trace: 'off',
  },
});
