// Least privilege on disk: profile folders 0700, files 0600, temp files created exclusively (a symlink planted at a
// temp name is never followed), replaced atomically; a profile folder swapped for a symlink is refused.
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/log.ts';
import { settingsStoreOptions } from '../../../electron/core/settings/store-schema.ts';
import { localStores } from '../../../electron/core/stores.ts';
import { ensurePrivateDir, nodeVaultFs, writeFileAtomic, type VaultFs } from '../../../electron/core/vault/fsio.ts';
import { insecureTestProtector } from '../vault/helpers.ts';

const posix = process.platform !== 'win32';
let root: string;
let victim: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mydata-files-'));
  // What an attacker wants overwritten: a file outside the profile that the person owns.
  victim = join(root, 'victim.txt');
  await writeFile(victim, 'precious');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function modes(dir: string): Promise<{ path: string; mode: number; dir: boolean }[]> {
  const out = [{ path: dir, mode: (await lstat(dir)).mode & 0o777, dir: true }];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const s = await lstat(path);
    if (s.isDirectory()) out.push(...(await modes(path)));
    else out.push({ path, mode: s.mode & 0o777, dir: false });
  }
  return out;
}

describe('temp files are created exclusively and never through a planted symlink', () => {
  it('writeFileAtomic: a symlink planted at the temp name (a racing attacker) makes the write fail; target and victim untouched', async () => {
    const target = join(root, 'settings.json');
    await writeFile(target, 'old');
    const planting: VaultFs = {
      ...nodeVaultFs,
      openNew: async (path) => {
        await symlink(victim, path);
        return nodeVaultFs.openNew(path);
      },
    };
    await expect(writeFileAtomic(planting, target, new TextEncoder().encode('new'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(await readFile(target, 'utf8')).toBe('old');
  });

  it('writeFileAtomic: temp names are unpredictable, so a symlink planted at a guessable name is not used', async () => {
    const target = join(root, 'cache.json');
    for (const guess of [`${target}.tmp`, join(root, '.cache.json.tmp'), `${target}~`]) await symlink(victim, guess);
    await writeFileAtomic(nodeVaultFs, target, new TextEncoder().encode('fresh'));
    expect(await readFile(target, 'utf8')).toBe('fresh');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    if (posix) expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('the history log, created next to a symlink planted at its old temp name (history.log.tmp), leaves the victim untouched', async () => {
    const dir = join(root, 'history');
    await mkdir(dir);
    const planted = join(dir, `${LOG_FILE}.tmp`);
    await symlink(victim, planted);
    const log = await HistoryLog.open({ dir, key: new Uint8Array(32).fill(3), frameWorker: null });
    await log.close();
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(join(dir, LOG_FILE))).isSymbolicLink()).toBe(false);
    expect(await readlink(planted)).toBe(victim);
    if (posix) expect((await stat(join(dir, LOG_FILE))).mode & 0o777).toBe(0o600);
  });
});

describe.runIf(posix)('profile folders 0700, files 0600', () => {
  it('the vault and the history, opened in a profile, leave only owner-only folders and files', async () => {
    const profile = join(root, 'profile');
    const stores = localStores({ profileDir: profile, protector: insecureTestProtector(), clock: { now: () => new Date() }, retentionYears: () => 2 });
    await stores.get();
    await stores.close();
    const all = await modes(profile);
    expect(all.filter((e) => !e.dir).map((e) => e.path)).toEqual(expect.arrayContaining([join(profile, 'vault', 'vault.key'), join(profile, 'history', LOG_FILE)]));
    for (const entry of all) expect({ path: entry.path, mode: entry.mode.toString(8) }).toEqual({ path: entry.path, mode: entry.dir ? '700' : '600' });
    expect(all.map((e) => e.path)).toContain(join(profile, 'receipts'));
  });

  it('folders an older version left readable (0755) are tightened to 0700 on open', async () => {
    const profile = join(root, 'profile');
    for (const d of [profile, join(profile, 'vault'), join(profile, 'history'), join(profile, 'receipts')]) {
      await mkdir(d, { recursive: true });
      await chmod(d, 0o755);
    }
    const stores = localStores({ profileDir: profile, protector: insecureTestProtector(), clock: { now: () => new Date() }, retentionYears: () => 2 });
    await stores.get();
    await stores.close();
    for (const d of [profile, join(profile, 'vault'), join(profile, 'history'), join(profile, 'receipts')]) expect(((await stat(d)).mode & 0o777).toString(8)).toBe('700');
  });

  it('a store folder replaced by a symlink is refused with FILES_FOLDER_NOT_PRIVATE and nothing is written through it', async () => {
    const profile = join(root, 'profile');
    const elsewhere = join(root, 'elsewhere');
    await mkdir(profile);
    await mkdir(elsewhere);
    await symlink(elsewhere, join(profile, 'vault'));
    const stores = localStores({ profileDir: profile, protector: insecureTestProtector(), clock: { now: () => new Date() }, retentionYears: () => 2 });
    await expect(stores.get()).rejects.toMatchObject({ code: 'FILES_FOLDER_NOT_PRIVATE' });
    expect(await readdir(elsewhere)).toEqual([]);
    await expect(ensurePrivateDir(victim)).rejects.toMatchObject({ code: 'FILES_FOLDER_NOT_PRIVATE' });
  });

  it('the settings file is written 0600 with the options the app gives electron-store', async () => {
    const { name, ...options } = settingsStoreOptions();
    const conf = new Conf<Record<string, unknown>>({ ...options, cwd: root, configName: name, projectName: 'mydata-desktop-test' });
    conf.set('historyRetentionYears', 3);
    expect(((await stat(join(root, `${name}.json`))).mode & 0o777).toString(8)).toBe('600');
  });
});
