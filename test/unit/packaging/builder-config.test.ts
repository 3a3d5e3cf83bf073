// Validates electron-builder.yml against electron-builder's own JSON schema and pins its security-relevant settings.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const readText = (rel: string): string => readFileSync(path.join(root, rel), 'utf8');

type Target = { target: string; arch: string[] };
type BuilderConfig = {
  appId: string;
  productName: string;
  asar: boolean;
  files: string[];
  protocols: { name: string; schemes: string[] }[];
  electronFuses: Record<string, boolean>;
  win: { target: Target[]; icon: string };
  mac: {
    target: Target[];
    icon: string;
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
  };
};

function compileSchema(): ValidateFunction {
  const schema = JSON.parse(readText('node_modules/app-builder-lib/scheme.json')) as Record<string, unknown>;
  // The schema is draft-07 generated from TypeScript types: it uses union types ("type": ["string", "null"]) and
  // the non-standard keyword "typeof" (for function-valued hooks), which strict mode rejects; hence strict: false.
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true });
  return ajv.compile(schema);
}

function loadConfig(): BuilderConfig {
  return parse(readText('electron-builder.yml')) as BuilderConfig;
}

const validate = compileSchema();

// The check electron-builder itself runs before building (same schema, through its own validator and messages).
type BuilderValidator = (config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }) => Promise<void>;
const { validateConfiguration } = createRequire(import.meta.url)('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: BuilderValidator;
};
const quietLogger = { isEnabled: false, add: () => undefined };

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const ok = validate(loadConfig());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('passes electron-builder’s own validateConfiguration, which rejects a misspelt key', async () => {
    await expect(validateConfiguration(loadConfig(), quietLogger)).resolves.toBeUndefined();
    const misspelt = loadConfig() as unknown as { nsis: Record<string, unknown> };
    misspelt.nsis.oneClik = false;
    await expect(validateConfiguration(misspelt, quietLogger)).rejects.toThrow(/does not match the API schema/);
  });

  it('fails validation when a key is misspelt', () => {
    const config = loadConfig() as unknown as { mac: Record<string, unknown> };
    delete config.mac.hardenedRuntime;
    config.mac.hardenedRuntim = true;
    expect(validate(config)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'hardenedRuntim' } }),
      ]),
    );
  });

  it('fails validation when a fuse is not a boolean or is unknown', () => {
    const wrongType = loadConfig();
    (wrongType.electronFuses as Record<string, unknown>).runAsNode = 'false';
    expect(validate(wrongType)).toBe(false);

    const unknownFuse = loadConfig();
    unknownFuse.electronFuses.runAsNod = false;
    expect(validate(unknownFuse)).toBe(false);
  });

  it('flips the Electron fuses that close code-injection paths', () => {
    expect(loadConfig().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('packs the app into asar from the build output, with an honest (non-government) app id', () => {
    const config = loadConfig();
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
    expect(config.productName).toBe('MyData Desktop');
    expect(config.appId).toBe('tw.mydata.desktop');
    expect(config.appId).not.toMatch(/gov/);
  });

  it('registers the mydata-desktop:// deep-link scheme and nothing else', () => {
    const schemes = loadConfig().protocols.flatMap((p) => p.schemes);
    expect(schemes).toEqual(['mydata-desktop']);
  });

  it('builds NSIS for Windows x64 and arm64', () => {
    expect(loadConfig().win.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
  });

  it('builds dmg and zip for macOS x64 and arm64 with the hardened runtime', () => {
    const { mac } = loadConfig();
    expect(mac.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(mac.hardenedRuntime).toBe(true);
  });

  it('grants only the allow-jit entitlement', () => {
    const { mac } = loadConfig();
    for (const file of new Set([mac.entitlements, mac.entitlementsInherit])) {
      const plist = readText(file);
      const keys = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<(true|false)\/>/g)].map((m) => [m[1], m[2]]);
      expect(keys).toEqual([['com.apple.security.cs.allow-jit', 'true']]);
    }
  });

  it('points every icon at a 1024×1024 PNG that exists', () => {
    const config = loadConfig() as BuilderConfig & { icon: string };
    for (const icon of new Set([config.icon, config.win.icon, config.mac.icon])) {
      const png = readFileSync(path.join(root, icon));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // IHDR width and height, big-endian, at bytes 16..23.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    }
  });

  it('is the config the dist scripts use', () => {
    const pkg = JSON.parse(readText('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['dist:win']).toMatch(/electron-builder --win --config electron-builder\.yml/);
    expect(pkg.scripts['dist:mac']).toMatch(/electron-builder --mac --config electron-builder\.yml/);
  });
});
