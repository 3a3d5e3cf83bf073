// The import-boundary rules of eslint.config.js fire where ARCHITECTURE §3 says they must, and only there.
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../../eslint.config.js';

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } },
    ...(boundaries as unknown as Linter.Config[]),
  ],
});

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('import boundaries', () => {
  it.each([
    ['electron/core/vault/x.ts', "import { safeStorage } from 'electron';", /plain Node/],
    ['electron/core/vault/x.ts', "import Store from 'electron-store';", /KeyValueStore/],
    ['electron/core/vault/x.ts', "import { composeApp } from '../../main/compose.ts';", /must not import main/],
    ['electron/core/vault/x.ts', "import { startSandbox } from '../../sandbox/index.ts';", /must not import main, sandbox/],
    ['electron/sandbox/x.ts', "import { app } from 'electron';", /plain Node/],
    ['electron/sandbox/x.ts', "import { resourcePath } from '../core/resources.ts';", /must not import core/],
    ['electron/sandbox/x.ts', "import { fontkitAdapter } from '../core/pdf/fontkit-adapter.ts';", /must not import core/],
    ['electron/sandbox/x.ts', "export { resourcePath } from '../core/resources.ts';", /must not import core/],
    ['electron/main/x.ts', "import { startSandbox } from '../sandbox/index.ts';", /lazily/],
    ['electron/main/features/x.ts', "export { startSandbox } from '../../sandbox/index.ts';", /lazily/],
    ['renderer/src/x.ts', "import { channels } from '../../electron/contract/index.ts';", /only types/],
    ['renderer/src/x.ts', "import { parseDeepLink } from '../../electron/core/deeplink/parse.ts';", /only the contract/],
    ['renderer/src/x.ts', "import { readFile } from 'node:fs';", /no Node/],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';", /window\.mydata/],
    ['electron/common/x.ts', "import { createHash } from 'node:crypto';", /no Node\.js module/],
    ['electron/common/x.ts', "import { join } from 'path';", /no Node\.js module/],
    ['electron/common/x.ts', "import { AppFailure } from '../contract/errors.ts';", /bottom layer/],
    ['electron/common/x.ts', "import { HistoryLog } from '../core/history/log.ts';", /bottom layer/],
    ['electron/protocol/x.ts', "import { systemClock } from '../core/ports.ts';", /protocol imports nothing from core/],
    ['electron/protocol/x.ts', "import { startSandbox } from '../sandbox/index.ts';", /protocol imports nothing/],
    ['electron/protocol/x.ts', "import { composeApp } from '../main/compose.ts';", /protocol imports nothing/],
    ['electron/protocol/x.ts', "import { app } from 'electron';", /plain Node/],
    ['electron/main/x.ts', "import { PlatformHttp } from '../protocol/client.ts';", /do not import the platform protocol/],
    ['electron/preload/x.ts', "import type { RequestView } from '../protocol/requests.ts';", /do not import the platform protocol/],
    ['renderer/src/x.ts', "import type { CatalogueService } from '../../electron/protocol/catalogue.ts';", /only the contract/],
  ])('%s: %s is refused', async (file, code, why) => {
    const found = await messages(file, code);
    expect(found.length).toBe(1);
    expect(found[0]).toMatch(/no-restricted-imports/);
    expect(found[0]).toMatch(why);
  });

  it.each([
    ['renderer/src/x.ts', "import type { Settings } from '../../electron/contract/index.ts';"],
    ['electron/core/vault/x.ts', "import { AppFailure } from '../../contract/index.ts';"],
    ['electron/main/x.ts', "import { app } from 'electron';"],
    ['electron/main/x.ts', "const { startSandbox } = await import('../sandbox/index.ts');"],
    ['electron/main/x.ts', "import type { RunningSandbox } from '../sandbox/index.ts';"],
    ['electron/sandbox/x.ts', "import { pdfLibFontkit } from '../common/pdf-fontkit.ts';"],
    ['electron/sandbox/x.ts', "import { NoticeSchema } from '../contract/platform.ts';"],
    ['electron/common/x.ts', "import { z } from 'zod';"],
    ['renderer/src/x.ts', "import { taipeiDay } from '../../electron/common/time.ts';"],
    ['electron/sandbox/x.ts', "import { sha256Hex } from '../common/hash.ts';"],
    ['electron/core/consent/x.ts', "import { PlatformHttp } from '../../protocol/client.ts';"],
    ['electron/sandbox/x.ts', "import { ConsentBodySchema } from '../protocol/transactions.ts';"],
    ['electron/contract/x.ts', "export * from '../protocol/catalogue.ts';"],
    ['electron/protocol/x.ts', "import { AppFailure } from '../contract/errors.ts';"],
    ['electron/main/x.ts', "import { registerAppProtocol } from './app-protocol.ts';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await messages(file, code)).toEqual([]);
  });

  it.each([
    ['electron/common/x.ts', 'export const n = Buffer.byteLength("a");', /no Node\.js global/],
    ['electron/common/x.ts', 'export const w = window.innerWidth;', /no DOM/],
  ])('%s: %s is refused (globals)', async (file, code, why) => {
    const found = await messages(file, code);
    expect(found.length).toBe(1);
    expect(found[0]).toMatch(/no-restricted-globals/);
    expect(found[0]).toMatch(why);
  });
});
