// My data core without Electron: the vault passphrase flow for Linux without a keyring, and import of a zip -P package
// (right ID, wrong ID, none; issuer recognised or not), single-file save that never overwrites.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MyDataService, type FileDialogs } from '../../../electron/core/mydata/service.ts';
import type { KeyProtector } from '../../../electron/core/ports.ts';
import { localStores, type LocalStores } from '../../../electron/core/stores.ts';
import { buildZipCryptoFixture, FIXTURE_ID, haveFixtureTools } from '../../e2e/mydata-fixture.ts';
import { insecureTestProtector } from '../vault/helpers.ts';
import { codeOf } from '../../support/outcomes.ts';
import type { TrustMaterial } from '../../../electron/core/package/trust.ts';

const clock = { now: () => new Date() };
let dir: string;
let opened: LocalStores[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mydata-service-'));
  opened = [];
});
afterEach(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(protector: KeyProtector, options: { dialogs?: FileDialogs; anchors?: string[]; trust?: TrustMaterial } = {}): MyDataService {
  const stores = localStores({ profileDir: dir, protector, clock, retentionYears: () => 2 });
  opened.push(stores);
  return new MyDataService({
    stores,
    profileDir: dir,
    clock,
    directory: () => Promise.resolve({ services: [], trustAnchors: options.anchors ?? [] }),
    knownServices: () => [],
    identity: { session: () => null, platformClient: () => { throw new Error('no platform in this test'); } },
    dialogs: options.dialogs ?? null,
    onTask: () => undefined,
    ...(options.trust ? { trust: () => options.trust! } : {}),
  });
}

describe('vault passphrase for Linux without a keyring (VAULT_WEAK_KEY_PROTECTION)', () => {
  it('offers a new passphrase, refuses a short one, opens with a good one, and asks for it on the next start', async () => {
    const weak = insecureTestProtector({ strong: false });
    const first = service(weak);
    expect(await first.vaultStatus()).toEqual({ state: 'needs-new-passphrase', minLength: 10 });
    expect(await codeOf(first.usePassphrase('short'))).toBe('VAULT_WEAK_PASSPHRASE');
    expect(await first.usePassphrase('a long enough vault phrase')).toEqual({ state: 'ready', protection: 'passphrase' });
    expect(await first.list()).toEqual([]);
    const record = JSON.parse(readFileSync(join(dir, 'vault', 'vault.key'), 'utf8')) as { protection: string };
    expect(record.protection).toBe('passphrase');
    await opened[0]?.close();

    // Next start: main hands the OS protector again; the vault says it needs its passphrase.
    const next = service(weak);
    expect(await next.vaultStatus()).toEqual({ state: 'needs-passphrase' });
    expect(await codeOf(next.usePassphrase('not the right phrase'))).toBe('VAULT_WRONG_PASSPHRASE');
    expect(await next.vaultStatus()).toEqual({ state: 'needs-passphrase' });
    expect(await next.usePassphrase('a long enough vault phrase')).toEqual({ state: 'ready', protection: 'passphrase' });
  }, 30_000);

  it('with a working keychain a passphrase is refused (VAULT_PASSPHRASE_NOT_EXPECTED): the vault key file keeps its bytes and the keychain', async () => {
    const strong = service(insecureTestProtector());
    expect(await strong.vaultStatus()).toEqual({ state: 'ready', protection: 'os' });
    const before = readFileSync(join(dir, 'vault', 'vault.key'));
    expect(await codeOf(strong.usePassphrase('a long enough vault phrase'))).toBe('VAULT_PASSPHRASE_NOT_EXPECTED');
    expect(readFileSync(join(dir, 'vault', 'vault.key')).equals(before)).toBe(true);
    expect(await strong.vaultStatus()).toEqual({ state: 'ready', protection: 'os' });
  });

  it('a vault sealed by a keyring that has gone is an error, not an offer of a new passphrase', async () => {
    const strong = service(insecureTestProtector());
    expect(await strong.vaultStatus()).toEqual({ state: 'ready', protection: 'os' });
    await opened[0]?.close();
    const status = await service(insecureTestProtector({ strong: false })).vaultStatus();
    expect(status).toMatchObject({ state: 'error', error: { code: 'VAULT_WEAK_KEY_PROTECTION' } });
  });
});

describe.skipIf(!haveFixtureTools)('import of a package made with openssl and zip -P', () => {
  let fixture: string;
  beforeEach(() => {
    fixture = buildZipCryptoFixture();
  });
  afterEach(() => rmSync(fixture, { recursive: true, force: true }));

  const dialogsFor = (files: string[], folders: string[] = []): FileDialogs => ({
    chooseFile: () => Promise.resolve(files.shift() ?? null),
    chooseFolder: () => Promise.resolve(folders.shift() ?? null),
  });

  it('asks for the ID only for ZipCrypto, refuses none or a wrong one; with the right one an intact part with no known signer is kept only when asked, labelled not verified', async () => {
    const my = service(insecureTestProtector(), { dialogs: dialogsFor([join(fixture, 'mydata-package.zip')]) });
    const choice = await my.importChoose();
    expect(choice).toMatchObject({ cancelled: false, fileName: 'mydata-package.zip', encrypted: true });
    if (choice.cancelled) throw new Error('cancelled');
    expect(await codeOf(my.import(choice.token))).toBe('PACKAGE_PASSWORD_REQUIRED');
    expect(await codeOf(my.import(choice.token, 'B123456780'))).toBe('PACKAGE_WRONG_PASSWORD');
    expect(await codeOf(my.import(choice.token, 'not an id'))).toBe('MYDATA_IMPORT_PASSWORD_FORMAT');
    expect(await my.list()).toEqual([]);
    // Intact but not verified (no known signer for API.H01, issuer unknown): nothing kept until the person asks.
    expect(await codeOf(my.import(choice.token, FIXTURE_ID.toLowerCase()))).toBe('MYDATA_IMPORT_NOT_VERIFIED');
    expect(await my.list()).toEqual([]);
    const result = await my.import(choice.token, FIXTURE_ID.toLowerCase(), true);
    expect(result.ok).toBe(false);
    // Kept labelled with why, never as verified.
    expect(result.package.providers).toEqual([expect.objectContaining({ resourceId: 'API.H01', badge: 'no-known-signer', signature: 'valid', certificate: 'untrusted-issuer' })]);
    expect(result.package.providers[0]!.errors.map((e) => e.code).sort()).toEqual(['PACKAGE_CERTIFICATE_UNTRUSTED', 'PACKAGE_SIGNER_UNKNOWN']);
    expect((await my.list()).flatMap((p) => p.providers.map((x) => x.badge))).toEqual(['no-known-signer']);
    expect(result.package.files.map((f) => f.name)).toEqual(['API.H01/household.json']);
    expect(JSON.parse((await my.read(result.package.id, 'API.H01/household.json')).text)).toMatchObject({ data: { name: '林美華' } });
    // The token is spent and the ID is nowhere on disk.
    expect(await codeOf(my.import(choice.token, FIXTURE_ID))).toBe('MYDATA_IMPORT_CHOICE_EXPIRED');
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(readFileSync(join(entry.parentPath, entry.name)).includes(Buffer.from(FIXTURE_ID)), entry.name).toBe(false);
    }
  });

  it('with the fixture CA as a trust anchor and its provider bound to the dataset, a single provider part imports as verified', async () => {
    const ca = readFileSync(join(fixture, 'ca.pem'), 'utf8');
    const trust = { anchors: [ca], intermediates: [], signers: new Map([['API.H01', { dataset: null, provider: null, signers: ['O=Household Registration'] }]]) };
    const my = service(insecureTestProtector(), { dialogs: dialogsFor([join(fixture, 'API.H01.zip'), join(fixture, 'API.H01.zip')]), trust });
    const choice = await my.importChoose();
    if (choice.cancelled) throw new Error('cancelled');
    expect(choice.encrypted).toBe(false);
    const result = await my.import(choice.token);
    expect(result.ok).toBe(true);
    expect(result.package.providers[0]?.badge).toBe('verified');
    // Another provider's signer for the same dataset: refused, and not keepable even when asked.
    const forged = service(insecureTestProtector(), { dialogs: dialogsFor([join(fixture, 'API.H01.zip')]), trust: { ...trust, signers: new Map([['API.H01', { dataset: null, provider: null, signers: ['O=Health Insurance'] }]]) } });
    const again = await forged.importChoose();
    if (again.cancelled) throw new Error('cancelled');
    expect(await codeOf(forged.import(again.token, undefined, true))).toBe('MYDATA_IMPORT_VERIFICATION_FAILED');
  });

  it('saving one file writes it to the picked folder and never overwrites', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mydata-save-'));
    try {
      const my = service(insecureTestProtector(), { dialogs: dialogsFor([join(fixture, 'API.H01.zip')], [out, out]) });
      const choice = await my.importChoose();
      if (choice.cancelled) throw new Error('cancelled');
      const { package: view } = await my.import(choice.token, undefined, true);
      const saved = await my.exportFile(view.id, 'API.H01/household.json');
      expect(saved).toEqual({ cancelled: false, folder: out, files: [join(out, 'household.json')] });
      expect(readFileSync(join(out, 'household.json'), 'utf8')).toContain('林美華');
      expect(await codeOf(my.exportFile(view.id, 'API.H01/household.json'))).toBe('VAULT_EXPORT_EXISTS');
      expect(existsSync(out) && readdirSync(out)).toEqual(['household.json']);
      expect(await my.exportFile(view.id, 'API.H01/household.json')).toEqual({ cancelled: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
