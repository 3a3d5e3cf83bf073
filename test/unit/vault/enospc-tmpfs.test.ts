// A really full disk: the vault and an export on tiny tmpfs mounts (root only; skipped where mounting is impossible).
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { VaultErrorCode, openVault } from '../../../electron/core/vault/index.ts';
import { fixedClock, insecureTestProtector, listFiles, patternBytes, streamOf } from './helpers.ts';
import { mountTmpfs, releaseTmpfs } from '../../support/tmpfs.ts';

const base = join(tmpdir(), `vault-tmpfs-${process.pid}`);
const vaultMount = join(base, 'vault');
const exportMount = join(base, 'export');

const canMount = mountTmpfs({ path: vaultMount, size: '1m' }, { path: exportMount, size: '256k' });

afterAll(() => {
  releaseTmpfs(base, [vaultMount, exportMount]);
});

describe.skipIf(!canMount)('on a 1 MiB tmpfs', () => {
  const meta = { service: { id: 'SP', name: 'tmpfs' }, source: 'download' as const, providers: [] };
  const dir = join(vaultMount, 'v');
  // The index's high-water mark on the same full disk: a failed store must not move it either.
  const markFile = join(vaultMount, 'vault.mark');
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
  });

  it('a store that does not fit is VAULT_DISK_FULL, leaves the folder as it was, and the vault still works', async () => {
    const vault = await openVault({ dir, protector: insecureTestProtector(), clock: fixedClock, markFile });
    const small = await vault.store({ meta, files: [{ name: 'small.bin', stream: streamOf(patternBytes(100_000, 1)) }] });
    const before = await listFiles(dir);
    const error = await vault
      .store({ meta, files: [{ name: 'a.bin', stream: streamOf(patternBytes(600_000, 2)) }, { name: 'b.bin', stream: streamOf(patternBytes(600_000, 3)) }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe(VaultErrorCode.DISK_FULL);
    expect(await listFiles(dir)).toEqual(before);
    expect((await vault.list()).map((p) => p.id)).toEqual([small.id]);
    // The space came back: a package that fits is stored.
    await vault.store({ meta, files: [{ name: 'fits.bin', stream: streamOf(patternBytes(300_000, 4)) }] });
    vault.close();
    const again = await openVault({ dir, protector: insecureTestProtector(), clock: fixedClock, markFile });
    expect(await again.list()).toHaveLength(2);
    expect(Buffer.from(await again.readFileBytes(small.id, 'small.bin')).equals(patternBytes(100_000, 1))).toBe(true);
    again.close();
  });

  it('an export that does not fit on a 256 KiB tmpfs is VAULT_EXPORT_DISK_FULL and leaves nothing there', async () => {
    const vault = await openVault({ dir, protector: insecureTestProtector(), clock: fixedClock, markFile });
    const big = (await vault.list()).find((p) => p.totalSize === 300_000);
    expect(big).toBeDefined();
    const error = await vault.export(big?.id ?? '', exportMount).catch((caught: unknown) => caught);
    expect((error as AppFailure).code).toBe(VaultErrorCode.EXPORT_DISK_FULL);
    expect(await readdir(exportMount)).toEqual([]);
    vault.close();
  });
});
