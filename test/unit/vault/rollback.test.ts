// Vault index rollback (G12, ARCHITECTURE §8): an older index put back is refused by its high-water mark before anything
// is swept, so deleted packages do not come back and newer packages' blobs are not removed.
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { VaultErrorCode, openVault } from '../../../electron/core/vault/index.ts';
import { fixedClock, insecureTestProtector, listFiles, patternBytes, removeDir, streamOf, tempDir } from './helpers.ts';

let root: string;
beforeAll(async () => {
  root = await tempDir('vault-rollback-');
});
afterAll(async () => {
  await removeDir(root);
});

const meta = { service: { id: 'SP', name: 'rollback' }, source: 'download' as const, providers: [] };

async function setup(name: string) {
  const dir = join(root, name, 'vault');
  const markFile = join(root, name, 'vault.mark');
  const open = () => openVault({ dir, protector: insecureTestProtector(), clock: fixedClock, markFile });
  return { dir, markFile, open, index: join(dir, 'index.mdv') };
}

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppFailure);
  return error as AppFailure;
}

describe('vault index high-water mark', () => {
  it('refuses an older index put back, deletes nothing, and opens again once the current index is back', async () => {
    const s = await setup('older');
    let vault = await s.open();
    const a = await vault.store({ meta, files: [{ name: 'a.bin', stream: streamOf(patternBytes(5000, 1)) }] });
    const b = await vault.store({ meta, files: [{ name: 'b.bin', stream: streamOf(patternBytes(5000, 2)) }] });
    vault.close();
    await copyFile(s.index, join(root, 'older', 'index.old'));
    vault = await s.open();
    await vault.delete(a.id);
    const c = await vault.store({ meta, files: [{ name: 'c.bin', stream: streamOf(patternBytes(5000, 3)) }] });
    vault.close();
    await copyFile(s.index, join(root, 'older', 'index.current'));

    await copyFile(join(root, 'older', 'index.old'), s.index);
    const before = await listFiles(s.dir);
    const error = await failure(s.open());
    expect(error.code).toBe(VaultErrorCode.ROLLED_BACK);
    expect(error.message_en).toMatch(/version 2, expected 4/);
    // Nothing swept: c's blob (unnamed by the old index) is still there, and a stays deleted.
    expect(await listFiles(s.dir)).toEqual(before);

    await copyFile(join(root, 'older', 'index.current'), s.index);
    vault = await s.open();
    expect((await vault.list()).map((p) => p.id).sort()).toEqual([b.id, c.id].sort());
    expect(Buffer.from(await vault.readFileBytes(c.id, 'c.bin')).equals(patternBytes(5000, 3))).toBe(true);
    vault.close();
  });

  it('an index newer than its mark (a crash between the two writes) opens and moves the mark forward', async () => {
    const s = await setup('newer');
    let vault = await s.open();
    await vault.store({ meta, files: [{ name: 'a.bin', stream: streamOf(patternBytes(100, 1)) }] });
    vault.close();
    const mark = await readFile(s.markFile);
    const index = await readFile(s.index);
    vault = await s.open();
    await vault.store({ meta, files: [{ name: 'b.bin', stream: streamOf(patternBytes(100, 2)) }] });
    vault.close();
    await writeFile(s.markFile, mark);
    vault = await s.open();
    expect(await vault.list()).toHaveLength(2);
    vault.close();
    // The mark caught up: the index from before the second store is refused now.
    await writeFile(s.index, index);
    expect((await failure(s.open())).code).toBe(VaultErrorCode.ROLLED_BACK);
  });

  it('refuses a tampered or missing mark without deleting anything', async () => {
    const s = await setup('mark');
    let vault = await s.open();
    await vault.store({ meta, files: [{ name: 'a.bin', stream: streamOf(patternBytes(100, 1)) }] });
    vault.close();
    const good = await readFile(s.markFile);
    const bad = Buffer.from(good);
    bad[40] = (bad[40] ?? 0) ^ 1;
    bad[512 + 40] = (bad[512 + 40] ?? 0) ^ 1;
    await writeFile(s.markFile, bad);
    const before = await listFiles(s.dir);
    expect((await failure(s.open())).code).toBe(VaultErrorCode.MARK_TAMPERED);
    await rm(s.markFile);
    expect((await failure(s.open())).code).toBe(VaultErrorCode.MARK_MISSING);
    expect(await listFiles(s.dir)).toEqual(before);
    await writeFile(s.markFile, good);
    vault = await s.open();
    expect(await vault.list()).toHaveLength(1);
    vault.close();
  });

  it('an index from before marks existed (no generation) opens and starts a mark', async () => {
    const s = await setup('legacy');
    // Without a mark file the vault behaves as before marks; its index has generation 0 then 1 …
    const plain = await openVault({ dir: s.dir, protector: insecureTestProtector(), clock: fixedClock });
    plain.close();
    const vault = await s.open();
    expect(await vault.list()).toEqual([]);
    vault.close();
    expect((await readFile(s.markFile)).length).toBeGreaterThanOrEqual(1024);
  });
});
