// The vault-protection state machine: a passphrase only where one is asked for; the keychain replaced (or restored)
// only by a choice made in Settings after re-authenticating; every call in the wrong state refused with its own code
// and the stores' bytes left exactly as they were.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultProtectionChangeSchema } from '../../../electron/contract/index.ts';
import type { KeyProtector } from '../../../electron/core/ports.ts';
import { localStores, type LocalStores } from '../../../electron/core/stores.ts';
import { VaultProtection } from '../../../electron/core/vault/protection.ts';
import { codeOf } from '../../support/outcomes.ts';
import { insecureTestProtector } from './helpers.ts';

const PHRASE = 'a long enough vault phrase';
const OTHER = 'another long vault phrase';
const clock = { now: () => new Date() };
let dir: string;
let opened: LocalStores[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mydata-protection-'));
  opened = [];
});
afterEach(async () => {
  for (const s of opened) await s.close();
  await rm(dir, { recursive: true, force: true });
});

/** One run of the app: main's OS protector, the stores, and the state machine over them. */
function run(system: KeyProtector = insecureTestProtector()): { stores: LocalStores; protection: VaultProtection } {
  const stores = localStores({ profileDir: dir, protector: system, clock, retentionYears: () => 2 });
  opened.push(stores);
  return { stores, protection: new VaultProtection({ stores, dir: join(dir, 'vault'), passphrase: { log2N: 10 } }) };
}

/** Every file of the profile, by path, with the SHA-256 of its bytes. */
async function snapshot(root = dir): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else out[p.slice(root.length)] = createHash('sha256').update(await readFile(p)).digest('hex');
    }
  };
  await walk(root);
  return out;
}

async function protectionOnDisk(): Promise<string> {
  return (JSON.parse(await readFile(join(dir, 'vault', 'vault.key'), 'utf8')) as { protection: string }).protection;
}

async function closeAll(): Promise<void> {
  for (const s of opened.splice(0)) await s.close();
}

describe('a passphrase is taken only where the vault asks for one', () => {
  it('a fresh profile with a working keychain: refused (VAULT_PASSPHRASE_NOT_EXPECTED), no vault is created', async () => {
    const { protection } = run();
    expect(await codeOf(protection.usePassphrase(PHRASE))).toBe('VAULT_PASSPHRASE_NOT_EXPECTED');
    expect(await snapshot()).toEqual({});
    // The keychain still guards the vault made afterwards.
    expect(await protection.status()).toEqual({ state: 'ready', protection: 'os' });
    expect(await protectionOnDisk()).toBe('os');
  });

  it('an open keychain vault: refused, the stores untouched, the keychain still in use', async () => {
    const { protection } = run();
    expect(await protection.status()).toEqual({ state: 'ready', protection: 'os' });
    const before = await snapshot();
    expect(await codeOf(protection.usePassphrase(PHRASE))).toBe('VAULT_PASSPHRASE_NOT_EXPECTED');
    expect(await snapshot()).toEqual(before);
    expect(await protection.status()).toEqual({ state: 'ready', protection: 'os' });
    await closeAll();
    // The next run opens with the keychain, as before.
    expect(await run().protection.status()).toEqual({ state: 'ready', protection: 'os' });
  });

  it('a keychain vault not yet opened in this run: refused without reading or writing it', async () => {
    await run().protection.status();
    await closeAll();
    const before = await snapshot();
    const { protection } = run();
    expect(await codeOf(protection.usePassphrase(PHRASE))).toBe('VAULT_PASSPHRASE_NOT_EXPECTED');
    expect(await snapshot()).toEqual(before);
    expect(await protection.status()).toEqual({ state: 'ready', protection: 'os' });
  });

  it('no keychain: a first passphrase is set; once open, a second call is refused; next run asks for it and a wrong one changes nothing', async () => {
    const weak = insecureTestProtector({ strong: false });
    const first = run(weak).protection;
    expect(await first.status()).toEqual({ state: 'needs-new-passphrase', minLength: 10 });
    expect(await codeOf(first.usePassphrase('short'))).toBe('VAULT_WEAK_PASSPHRASE');
    expect(await snapshot()).toEqual({});
    expect(await first.usePassphrase(PHRASE)).toEqual({ state: 'ready', protection: 'passphrase' });
    const set = await snapshot();
    expect(await codeOf(first.usePassphrase(OTHER))).toBe('VAULT_PASSPHRASE_NOT_EXPECTED');
    expect(await snapshot()).toEqual(set);
    await closeAll();

    const next = run(weak).protection;
    expect(await next.status()).toEqual({ state: 'needs-passphrase' });
    const before = await snapshot();
    expect(await codeOf(next.usePassphrase(OTHER))).toBe('VAULT_WRONG_PASSPHRASE');
    expect(await snapshot()).toEqual(before);
    expect(await next.status()).toEqual({ state: 'needs-passphrase' });
    expect(await next.usePassphrase(PHRASE)).toEqual({ state: 'ready', protection: 'passphrase' });
  });
});

describe('switching protection in Settings, with re-authentication', () => {
  it('keychain → passphrase → keychain; the master key (and so the history) is kept across both', async () => {
    const a = run();
    await a.stores.get();
    expect(await a.protection.info()).toEqual({ protection: 'os', keychainAvailable: true, minLength: 10 });
    expect(await a.protection.change({ to: 'passphrase', passphrase: PHRASE, confirm: true })).toEqual({ state: 'ready', protection: 'passphrase' });
    expect(await protectionOnDisk()).toBe('passphrase');
    await closeAll();

    const b = run();
    expect(await b.protection.status()).toEqual({ state: 'needs-passphrase' });
    expect(await b.protection.usePassphrase(PHRASE)).toEqual({ state: 'ready', protection: 'passphrase' });
    // The history log, keyed from the master key, opened with it: the key was resealed, not replaced.
    expect((await b.stores.get()).history.openReport.broken).toBeFalsy();
    expect(await b.protection.change({ to: 'os', current: PHRASE, confirm: true })).toEqual({ state: 'ready', protection: 'os' });
    expect(await protectionOnDisk()).toBe('os');
    await closeAll();
    expect(await run().protection.status()).toEqual({ state: 'ready', protection: 'os' });
  });

  it('changing the passphrase needs the current one', async () => {
    const weak = insecureTestProtector({ strong: false });
    const a = run(weak).protection;
    await a.usePassphrase(PHRASE);
    const before = await snapshot();
    expect(await codeOf(a.change({ to: 'passphrase', passphrase: OTHER, confirm: true }))).toBe('VAULT_REAUTH_REQUIRED');
    expect(await codeOf(a.change({ to: 'passphrase', passphrase: OTHER, current: 'wrong but long enough', confirm: true }))).toBe('VAULT_WRONG_PASSPHRASE');
    expect(await codeOf(a.change({ to: 'passphrase', passphrase: OTHER, current: 'short', confirm: true }))).toBe('VAULT_WRONG_PASSPHRASE');
    expect(await snapshot()).toEqual(before);
    expect(await a.change({ to: 'passphrase', passphrase: OTHER, current: PHRASE, confirm: true })).toEqual({ state: 'ready', protection: 'passphrase' });
    await closeAll();
    const b = run(weak).protection;
    expect(await codeOf(b.usePassphrase(PHRASE))).toBe('VAULT_WRONG_PASSPHRASE');
    expect(await b.usePassphrase(OTHER)).toEqual({ state: 'ready', protection: 'passphrase' });
  });

  it.each<[string, (p: VaultProtection, stores: LocalStores) => Promise<unknown>, string]>([
    ['back to the keychain with a wrong current passphrase', (p) => p.change({ to: 'os', current: 'not the vault phrase', confirm: true }), 'VAULT_WRONG_PASSPHRASE'],
    ['a weak new passphrase', (p) => p.change({ to: 'passphrase', passphrase: 'short', current: PHRASE, confirm: true }), 'VAULT_WEAK_PASSPHRASE'],
  ])('passphrase vault, %s → %s, stores untouched', async (_name, act, code) => {
    const a = run();
    await a.stores.get();
    await a.protection.change({ to: 'passphrase', passphrase: PHRASE, confirm: true });
    const before = await snapshot();
    expect(await codeOf(act(a.protection, a.stores))).toBe(code);
    expect(await snapshot()).toEqual(before);
    expect(await protectionOnDisk()).toBe('passphrase');
  });

  it('refused while the vault is not open (VAULT_PROTECTION_LOCKED), and keychain → keychain (VAULT_PROTECTION_UNCHANGED)', async () => {
    await run().stores.get();
    await closeAll();
    const before = await snapshot();
    const { protection, stores } = run();
    expect(await codeOf(protection.change({ to: 'passphrase', passphrase: PHRASE, confirm: true }))).toBe('VAULT_PROTECTION_LOCKED');
    expect(await snapshot()).toEqual(before);
    await stores.get();
    const open = await snapshot();
    expect(await codeOf(protection.change({ to: 'os', current: PHRASE, confirm: true }))).toBe('VAULT_PROTECTION_UNCHANGED');
    expect(await snapshot()).toEqual(open);
  });

  it('the keychain refusing to unlock again (re-authentication failed) changes nothing (VAULT_KEY_UNAVAILABLE)', async () => {
    const system = insecureTestProtector();
    let refuse = false;
    const guarded: KeyProtector = {
      isStrong: () => system.isStrong(),
      protect: (plain) => system.protect(plain),
      unprotect: (sealed) => (refuse ? Promise.reject(new Error('user cancelled the keychain prompt')) : system.unprotect(sealed)),
    };
    const { protection, stores } = run(guarded);
    await stores.get();
    const before = await snapshot();
    refuse = true;
    expect(await codeOf(protection.change({ to: 'passphrase', passphrase: PHRASE, confirm: true }))).toBe('VAULT_KEY_UNAVAILABLE');
    expect(await snapshot()).toEqual(before);
    expect(await protectionOnDisk()).toBe('os');
  });

  it('back to a keychain that is not available (basic_text) is refused (VAULT_WEAK_KEY_PROTECTION)', async () => {
    const weak = insecureTestProtector({ strong: false });
    const { protection } = run(weak);
    await protection.usePassphrase(PHRASE);
    expect(await protection.info()).toEqual({ protection: 'passphrase', keychainAvailable: false, minLength: 10 });
    const before = await snapshot();
    expect(await codeOf(protection.change({ to: 'os', current: PHRASE, confirm: true }))).toBe('VAULT_WEAK_KEY_PROTECTION');
    expect(await snapshot()).toEqual(before);
  });

  it('the contract takes a change only with the person’s confirmation, and only these shapes', () => {
    expect(VaultProtectionChangeSchema.safeParse({ to: 'passphrase', passphrase: PHRASE }).success).toBe(false);
    expect(VaultProtectionChangeSchema.safeParse({ to: 'passphrase', passphrase: PHRASE, confirm: false }).success).toBe(false);
    expect(VaultProtectionChangeSchema.safeParse({ to: 'os', confirm: true }).success).toBe(false);
    expect(VaultProtectionChangeSchema.safeParse({ to: 'os', current: PHRASE, confirm: true, extra: 1 }).success).toBe(false);
    expect(VaultProtectionChangeSchema.safeParse({ to: 'passphrase', passphrase: PHRASE, confirm: true }).success).toBe(true);
  });
});
