// Checks the build exists and says which launcher the e2e run uses.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { electronBinary } from './harness.ts';

export default function globalSetup(): void {
  const root = resolve(import.meta.dirname, '../..');
  if (!existsSync(resolve(root, 'out/renderer/index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` before `npm run test:e2e`.');
  }
  const binary = electronBinary();
  console.log(binary ? `e2e launcher: Playwright _electron (${binary})` : 'e2e launcher: Debian Chromium + in-process dispatcher bridge (no Electron binary installed)');
}
