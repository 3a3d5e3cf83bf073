// Settings format 2: the old 'sandbox' profile becomes 'demo' (through conf, as electron-store stores it), the new
// fields get their defaults, the profile is only changed by a choice, and the old single-folder data moves once.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsPatchSchema } from '../../../electron/contract/index.ts';
import { openSettings, SETTINGS_SCHEMA_VERSION } from '../../../electron/core/settings/settings-service.ts';
import { openValidatedStore, settingsStoreSchema } from '../../../electron/core/settings/store-schema.ts';
import { moveLegacyLayout, profileFolder, profileFolderName } from '../../../electron/core/settings/profiles.ts';
import type { KeyValueStore } from '../../../electron/core/ports.ts';

function confStore(dir: string): { store: KeyValueStore; recovered: boolean } {
  const open = () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'mydata-desktop-test', schema: settingsStoreSchema() });
  const { store, recovered } = openValidatedStore(open, () => writeFileSync(join(dir, 'settings.json'), '{}'));
  return {
    recovered,
    store: { get: (k) => store.get(k), set: (k, v) => store.set(k, v), delete: (k) => store.delete(k), get store() { return store.store; } },
  };
}
const fresh = () => mkdtempSync(join(tmpdir(), 'settings-v2-'));
const readJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('settings format 2', () => {
  it("opens a format-1 file saying 'sandbox' (no set-aside) and migrates it to an unchosen 'demo', keeping the other choices", () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, language: 'en', theme: 'dark', calendar: 'roc', profile: 'sandbox', historyRetentionYears: 5 }));
    const { store, recovered } = confStore(dir);
    expect(recovered).toBe(false);
    const s = openSettings({ store });
    expect(s.get()).toEqual({ ...DEFAULT_SETTINGS, language: 'en', theme: 'dark', calendar: 'roc', historyRetentionYears: 5, profile: 'demo', profileChosen: false });
    const onDisk = readJson(dir);
    expect(onDisk['schemaVersion']).toBe(2);
    expect(onDisk['profile']).toBe('demo');
    expect(onDisk).toMatchObject({ updateChecks: true, downloadsFolder: null, platformUrl: null });
  });

  it("turns a format-1 'platform' (its address was never stored) into an unchosen demo rather than a platform without an address", () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, profile: 'platform' }));
    const s = openSettings({ store: confStore(dir).store });
    expect(s.get()).toMatchObject({ profile: 'demo', profileChosen: false, platformUrl: null });
  });

  it('migrates an unversioned file the same way', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ profile: 'sandbox', theme: 'light' }));
    expect(openSettings({ store: confStore(dir).store }).get()).toMatchObject({ profile: 'demo', theme: 'light', profileChosen: false });
    expect(SETTINGS_SCHEMA_VERSION).toBe(2);
  });

  it("refuses 'sandbox' written into a current-format file by hand (the migration is the only way in)", () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, schemaVersion: 2, profile: 'sandbox', theme: 'dark' }));
    const s = openSettings({ store: confStore(dir).store });
    // The invalid field falls back to its default; the valid ones stay.
    expect(s.get()).toMatchObject({ profile: 'demo', theme: 'dark' });
  });

  it('changes the profile only through choose(): the screen patch cannot, nor can it name a folder', () => {
    expect(SettingsPatchSchema.safeParse({ profile: 'official' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ platformUrl: 'https://x.example' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ profileChosen: true }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ downloadsFolder: '/etc' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ downloadsFolder: null, updateChecks: false }).success).toBe(true);
  });

  it('records a choice: a platform keeps its address, the others drop it; the choice survives reopening', () => {
    const dir = fresh();
    const s = openSettings({ store: confStore(dir).store });
    expect(s.choose({ profile: 'platform', platformUrl: 'https://mydata.example.tw' })).toMatchObject({ profile: 'platform', platformUrl: 'https://mydata.example.tw', profileChosen: true });
    expect(s.choose({ profile: 'official' })).toMatchObject({ profile: 'official', platformUrl: null, profileChosen: true });
    s.update({ updateChecks: false });
    s.useDownloadsFolder('/home/someone/Downloads/MyData');
    expect(openSettings({ store: confStore(dir).store }).get()).toMatchObject({
      profile: 'official',
      profileChosen: true,
      updateChecks: false,
      downloadsFolder: '/home/someone/Downloads/MyData',
    });
  });
});

describe('profile folders', () => {
  it('gives each profile its own folder, and each platform origin its own', () => {
    const root = '/data';
    expect(profileFolder(root, { profile: 'official', platformUrl: null })).toBe(join(root, 'profiles', 'official'));
    expect(profileFolder(root, { profile: 'demo', platformUrl: null })).toBe(join(root, 'profiles', 'demo'));
    const a = profileFolderName('platform', 'https://a.example');
    expect(a).toMatch(/^platform-[0-9a-f]{16}$/);
    expect(profileFolderName('platform', 'https://a.example/some/path')).toBe(a);
    expect(profileFolderName('platform', 'https://b.example')).not.toBe(a);
    expect(() => profileFolderName('platform', null)).toThrow(expect.objectContaining({ code: 'PROFILE_PLATFORM_ADDRESS_MISSING' }) as Error);
  });

  it("moves the old single-folder layout of the sandbox profile into the demo's folder, once", () => {
    const root = fresh();
    mkdirSync(join(root, 'vault'));
    writeFileSync(join(root, 'vault', 'vault.key'), 'k');
    mkdirSync(join(root, 'history'));
    mkdirSync(join(root, 'sandbox'));
    writeFileSync(join(root, 'platform-directory.json'), '{}');
    writeFileSync(join(root, 'settings.json'), '{}');
    expect(moveLegacyLayout(root, 'sandbox')).toBe(join(root, 'profiles', 'demo'));
    expect(readdirSync(join(root, 'profiles', 'demo')).sort()).toEqual(['history', 'platform-directory.json', 'sandbox', 'vault']);
    expect(readFileSync(join(root, 'profiles', 'demo', 'vault', 'vault.key'), 'utf8')).toBe('k');
    // App-wide settings stay where they were.
    expect(existsSync(join(root, 'settings.json'))).toBe(true);
    expect(moveLegacyLayout(root, 'sandbox')).toBeNull();
  });

  it("keeps an old 'platform' profile's data apart from every profile the app opens", () => {
    const root = fresh();
    mkdirSync(join(root, 'vault'));
    expect(moveLegacyLayout(root, 'platform')).toBe(join(root, 'profiles', 'unassigned-platform'));
    expect(existsSync(join(root, 'profiles', 'demo'))).toBe(false);
  });
});
