// Settings: schema-validated through conf (electron-store's base), versioned, migrated, never rewritten on downgrade.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../electron/contract/index.ts';
import { openSettings, SETTINGS_SCHEMA_VERSION, type SettingsMigration } from '../../../electron/core/settings/settings-service.ts';
import { openValidatedStore, settingsStoreSchema } from '../../../electron/core/settings/store-schema.ts';
import type { KeyValueStore } from '../../../electron/core/ports.ts';

function confStore(dir: string): { store: KeyValueStore; recovered: boolean } {
  const open = () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'mydata-desktop-test', schema: settingsStoreSchema() });
  const { store, recovered } = openValidatedStore(open, () => {
    const path = join(dir, 'settings.json');
    writeFileSync(`${path}.invalid-test`, readFileSync(path));
    writeFileSync(path, '{}');
  });
  return {
    recovered,
    store: {
      get: (k) => store.get(k),
      set: (k, v) => store.set(k, v),
      delete: (k) => store.delete(k),
      get store() {
        return store.store;
      },
    },
  };
}

const fresh = () => mkdtempSync(join(tmpdir(), 'settings-'));
const readJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('settings', () => {
  it('starts with zh-TW and the demo profile (not yet chosen), and writes its schemaVersion', () => {
    const dir = fresh();
    const s = openSettings({ store: confStore(dir).store });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.get().language).toBe('zh-TW');
    expect(readJson(dir)['schemaVersion']).toBe(SETTINGS_SCHEMA_VERSION);
  });

  it('persists a change across reopening, and announces it', () => {
    const dir = fresh();
    const seen: string[] = [];
    openSettings({ store: confStore(dir).store, onChange: (x) => seen.push(x.theme) }).update({ theme: 'high-contrast', language: 'en' });
    expect(seen).toEqual(['high-contrast']);
    const again = openSettings({ store: confStore(dir).store });
    expect(again.get()).toMatchObject({ theme: 'high-contrast', language: 'en' });
  });

  it('refuses invalid updates and keeps the old value', () => {
    const s = openSettings({ store: confStore(fresh()).store });
    expect(() => s.update({ theme: 'neon' as never })).toThrow();
    expect(() => s.update({ historyRetentionYears: 1 })).toThrow();
    expect(s.get().theme).toBe('system');
  });

  it('migrates an unversioned store: keeps valid known keys, drops unknown ones', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: 'en', theme: 'dark', legacyWindowSize: [1, 2] }));
    const s = openSettings({ store: confStore(dir).store });
    expect(s.get()).toEqual({ ...DEFAULT_SETTINGS, language: 'en', theme: 'dark' });
    expect(readJson(dir)).not.toHaveProperty('legacyWindowSize');
  });

  it('runs each migration in order from the stored version', () => {
    const dir = fresh();
    const store = confStore(dir).store;
    store.set('schemaVersion', 1);
    store.set('theme', 'dark');
    const calls: number[] = [];
    const migrations: SettingsMigration[] = [
      { from: 0, migrate: (x) => (calls.push(0), x) },
      { from: 1, migrate: (x) => (calls.push(1), { ...x, calendar: 'roc' }) },
      { from: 2, migrate: (x) => (calls.push(2), { ...x, theme: x['theme'] === 'dark' ? 'high-contrast' : x['theme'] }) },
    ];
    const s = openSettings({ store, migrations, currentVersion: 3 });
    expect(calls).toEqual([1, 2]);
    expect(s.get()).toMatchObject({ calendar: 'roc', theme: 'high-contrast' });
    expect(store.get('schemaVersion')).toBe(3);
  });

  it('does not rewrite a store written by a newer version, and says so', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 99, language: 'en', theme: 'dark' }));
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    const s = openSettings({ store: confStore(dir).store });
    expect(s.openProblem?.code).toBe('SETTINGS_NEWER_SCHEMA');
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    s.update({ theme: 'light' });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
  });

  it('sets aside a file that fails the schema instead of crashing or deleting it', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, language: 'klingon' }));
    const { store, recovered } = confStore(dir);
    expect(recovered).toBe(true);
    expect(existsSync(join(dir, 'settings.json.invalid-test'))).toBe(true);
    expect(openSettings({ store }).get()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toContain('settings.json');
  });

  it('derives the store schema from the contract', () => {
    const schema = settingsStoreSchema();
    expect(Object.keys(schema).sort()).toEqual([...Object.keys(DEFAULT_SETTINGS), 'schemaVersion'].sort());
    expect(schema['language']).toMatchObject({ enum: ['zh-TW', 'en'] });
  });
});
