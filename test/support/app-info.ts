// app:info as the demo profile answers it, for tests of what the window's start-up shows.
import type { AppInfo } from '../../electron/contract/index.ts';

export const DEMO_APP_INFO: AppInfo = {
  name: 'MyData Desktop',
  version: '1.2.3',
  profile: 'demo',
  platformName: { zh: '沙盒平臺', en: 'Sandbox platform' },
  platformUrl: 'http://127.0.0.1:1',
  needsProfileChoice: false,
  runtime: 'bridge',
};
