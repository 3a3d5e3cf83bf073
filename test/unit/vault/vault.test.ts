// The vault service: store/list/read/export/delete, key protection, atomic index, no plaintext on disk, named failures.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile, copyFile, rename as fsRename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import {
  VaultErrorCode,
  createPassphraseProtector,
  inspectVault,
  openVault,
  type PackageMeta,
  type Vault,
  type VaultEntryInput,
} from '../../../electron/core/vault/index.ts';
import {
  anyFileContains,
  collect,
  failingFs,
  fixedClock,
  insecureTestProtector,
  listFiles,
  patternBytes,
  removeDir,
  streamOf,
  tempDir,
  wrongKeyProtector,
} from './helpers.ts';

const meta: PackageMeta = {
  service: { id: 'SP-TEST-001', name: '測試服務' },
  source: 'download',
  txId: 'tx-123',
  providers: [
    { resourceId: 'API.A1', name: '衛生福利部', verdict: 'verified' },
    { resourceId: 'API.B2', name: '財政部', verdict: 'issuer_unrecognised', detail: { note: 'self-signed' } },
  ],
};

function entries(files: Record<string, Uint8Array>): VaultEntryInput[] {
  return Object.entries(files).map(([name, bytes]) => ({ name, stream: streamOf(bytes) }));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<AppFailure> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppFailure);
  const failure = error as AppFailure;
  expect(failure.code).toBe(code);
  expect(failure.message_zh.length).toBeGreaterThan(0);
  expect(failure.message_en.length).toBeGreaterThan(0);
  return failure;
}

let dir: string;
let vault: Vault | null = null;
const protector = insecureTestProtector();
const open = async (options: Partial<Parameters<typeof openVault>[0]> = {}) => {
  vault = await openVault({ dir, protector, clock: fixedClock, chunkSize: 1024, ...options });
  return vault;
};

beforeEach(async () => {
  dir = join(await tempDir(), 'vault');
});
afterEach(async () => {
  vault?.close();
  vault = null;
  await removeDir(join(dir, '..'));
});

describe('store, list, read', () => {
  it('stores a package and reads every file back exactly; list shows metadata but no keys', async () => {
    const v = await open();
    const files = {
      'API.A1/data.json': Buffer.from(JSON.stringify({ 姓名: '王小明', rows: [1, 2, 3] })),
      'API.A1/report.pdf': patternBytes(5000, 9),
      'API.B2/empty.csv': new Uint8Array(0),
    };
    const progress: number[] = [];
    const stored = await v.store({ meta, files: entries(files) }, { onProgress: (p) => progress.push(p.bytes) });
    expect(stored.files.map((f) => f.name)).toEqual(Object.keys(files));
    expect(stored.totalSize).toBe(Buffer.from(files['API.A1/data.json']).length + 5000);
    expect(progress.at(-1)).toBe(stored.totalSize);
    const listed = await v.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toEqual(stored);
    expect(JSON.stringify(listed)).not.toMatch(/wrapped|blobId/i);
    expect(listed[0]?.meta.providers[1]?.verdict).toBe('issuer_unrecognised');
    expect(listed[0]?.storedAt).toBe(fixedClock.now().toISOString());
    for (const [name, bytes] of Object.entries(files)) {
      expect(Buffer.from(await v.readFileBytes(stored.id, name)).equals(Buffer.from(bytes))).toBe(true);
      expect((await collect(v.readFile(stored.id, name))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('records the digest a producer already checked (the verifier), hashes itself otherwise or when it is malformed', async () => {
    const v = await open();
    const a = patternBytes(3000, 3);
    const b = patternBytes(2000, 4);
    const checked = createHash('sha256').update(a).digest('hex');
    const stored = await v.store({
      meta,
      files: [
        { name: 'P/a.bin', stream: streamOf(a), sha256: checked },
        { name: 'P/b.bin', stream: streamOf(b), sha256: 'not a digest' },
        { name: 'P/c.bin', stream: streamOf(b) },
      ],
    });
    const own = createHash('sha256').update(b).digest('hex');
    expect(stored.files.map((f) => f.sha256)).toEqual([checked, own, own]);
  });

  it('keeps packages across close and reopen, and unseals the key only through the protector', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'a.json': Buffer.from('{"a":1}') }) });
    v.close();
    await expectCode(v.list(), VaultErrorCode.CLOSED);
    const before = protector.calls;
    const again = await open();
    expect(protector.calls).toBe(before + 1);
    expect((await again.list()).map((p) => p.id)).toEqual([stored.id]);
    expect(Buffer.from(await again.readFileBytes(stored.id, 'a.json')).toString()).toBe('{"a":1}');
  });

  it('round-trips several MiB with the default 64 KiB chunks', async () => {
    const v = await open({ chunkSize: undefined });
    const big = randomBytes(5 * 1024 * 1024 + 123);
    const stored = await v.store({ meta, files: [{ name: 'big.bin', stream: streamOf(big, 100_000) }] });
    expect((await collect(v.readFile(stored.id, 'big.bin'))).equals(big)).toBe(true);
  });

  it('never writes plaintext to the vault folder (marker grep over every file)', async () => {
    const v = await open();
    const marker = 'MYDATA-PLAINTEXT-MARKER-身分證A123456789';
    const body = Buffer.from(`{"note":"${marker}"}`.repeat(300));
    await v.store({ meta: { ...meta, service: { id: 'SP', name: marker } }, files: entries({ 'x.json': body, 'y.txt': Buffer.from(marker) }) });
    const all = await listFiles(dir);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const needle of [marker, 'MYDATA-PLAINTEXT-MARKER', 'A123456789', '衛生福利部', 'API.A1']) {
      expect(await anyFileContains(dir, Buffer.from(needle, 'utf8'))).toBeNull();
    }
  });

  it('refuses unsafe or ambiguous file names and stores nothing', async () => {
    const v = await open();
    const bad = ['../x', '/abs', 'a\\b', 'C:x', 'a/../b', 'con.txt', 'dot.', '', 'a/b/c/d/e'];
    for (const name of bad) {
      await expectCode(v.store({ meta, files: [{ name, stream: streamOf(Buffer.from('x')) }] }), VaultErrorCode.INVALID_ENTRY);
    }
    const twins = [
      { name: 'Caf\u00e9.json', stream: streamOf(Buffer.from('1')) },
      { name: 'cafe\u0301.JSON', stream: streamOf(Buffer.from('2')) },
    ];
    await expectCode(v.store({ meta, files: twins }), VaultErrorCode.INVALID_ENTRY);
    await expectCode(
      v.store({ meta, files: entries({ a: Buffer.from('1'), 'a/b': Buffer.from('2') }) }),
      VaultErrorCode.INVALID_ENTRY,
    );
    await expectCode(v.store({ meta, files: [] }), VaultErrorCode.INVALID_ENTRY);
    await expectCode(v.store({ meta: { ...meta, source: 'stolen' } as unknown as PackageMeta, files: entries({ a: Buffer.from('1') }) }), VaultErrorCode.INVALID_ENTRY);
    expect(await v.list()).toEqual([]);
    expect(await readdir(join(dir, 'blobs'))).toEqual([]);
  });

  it('passes a source stream’s own failure through and keeps nothing', async () => {
    const v = await open();
    async function* broken() {
      yield Buffer.alloc(5000, 1);
      throw new Error('verifier refused the package');
    }
    await expect(v.store({ meta, files: [{ name: 'ok.json', stream: streamOf(Buffer.from('{}')) }, { name: 'bad.bin', stream: broken() }] })).rejects.toThrow(
      'verifier refused the package',
    );
    expect(await v.list()).toEqual([]);
    expect(await readdir(join(dir, 'blobs'))).toEqual([]);
  });
});

describe('concurrency and lifecycle', () => {
  it('concurrent stores and a delete all land in the index, none lost', async () => {
    const v = await open();
    const first = await v.store({ meta, files: entries({ 'z.bin': patternBytes(100) }) });
    const results = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => v.store({ meta, files: entries({ [`f${i}.bin`]: patternBytes(3000 + i, i + 1) }) })),
      v.delete(first.id),
    ]);
    const stored = results.slice(0, 6) as Awaited<ReturnType<Vault['store']>>[];
    v.close();
    const w = await open();
    expect((await w.list()).map((p) => p.id).sort()).toEqual(stored.map((p) => p.id).sort());
    for (const [i, pkg] of stored.entries()) {
      expect(Buffer.from(await w.readFileBytes(pkg.id, `f${i}.bin`)).equals(patternBytes(3000 + i, i + 1))).toBe(true);
    }
    expect(await readdir(join(dir, 'blobs'))).toHaveLength(6);
  });

  it('unknown packages and files are named errors, and a closed vault refuses everything', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'a.bin': patternBytes(10) }) });
    await expectCode(v.readFileBytes('nope', 'a.bin'), VaultErrorCode.NOT_FOUND);
    await expectCode(collect(v.readFile(stored.id, 'b.bin')), VaultErrorCode.FILE_NOT_FOUND);
    await expectCode(v.readFileBytes(stored.id, 'a.bin', { maxBytes: 5 }), VaultErrorCode.TOO_LARGE);
    v.close();
    await expectCode(v.store({ meta, files: entries({ 'c.bin': patternBytes(10) }) }), VaultErrorCode.CLOSED);
    await expectCode(collect(v.readFile(stored.id, 'a.bin')), VaultErrorCode.CLOSED);
    await expectCode(v.delete(stored.id), VaultErrorCode.CLOSED);
    expect(() => v.deriveKey('history')).toThrow(expect.objectContaining({ code: VaultErrorCode.CLOSED }) as Error);
  });
});

describe('tampering and wrong keys', () => {
  it('names a flipped byte in a blob as VAULT_TAMPERED, for both read forms and export', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'a.bin': patternBytes(4000) }) });
    const [blob] = await readdir(join(dir, 'blobs'));
    const path = join(dir, 'blobs', blob ?? '');
    const bytes = await readFile(path);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 1;
    await writeFile(path, bytes);
    await expectCode(v.readFileBytes(stored.id, 'a.bin'), VaultErrorCode.TAMPERED);
    await expectCode(collect(v.readFile(stored.id, 'a.bin')), VaultErrorCode.TAMPERED);
    const out = join(dir, '..', 'out');
    await mkdir(out);
    await expectCode(v.export(stored.id, out), VaultErrorCode.TAMPERED);
    expect(await readdir(out)).toEqual([]);
  });

  it('detects blobs swapped between files of one package and between packages', async () => {
    const v = await open();
    const blobDir = join(dir, 'blobs');
    const one = await v.store({ meta, files: entries({ 'a.bin': patternBytes(3000, 1), 'b.bin': patternBytes(3000, 2) }) });
    const ofOne = (await readdir(blobDir)).map((b) => join(blobDir, b));
    const two = await v.store({ meta, files: entries({ 'a.bin': patternBytes(3000, 3) }) });
    const ofTwo = (await readdir(blobDir)).map((b) => join(blobDir, b)).filter((p) => !ofOne.includes(p));
    expect(ofOne).toHaveLength(2);
    expect(ofTwo).toHaveLength(1);
    const swap = async (x: string, y: string) => {
      const tmp = join(dir, '..', 'swap');
      await copyFile(x, tmp);
      await copyFile(y, x);
      await copyFile(tmp, y);
    };
    const outcome = async () =>
      Promise.all(
        ([[one.id, 'a.bin'], [one.id, 'b.bin'], [two.id, 'a.bin']] as const).map(([id, name]) =>
          v.readFileBytes(id, name).then(
            () => 'ok',
            (error: unknown) => (error as AppFailure).code,
          ),
        ),
      );
    expect(await outcome()).toEqual(['ok', 'ok', 'ok']);
    const [x, y] = ofOne as [string, string];
    await swap(x, y); // same package, same data key, same size: the file id catches it
    expect(await outcome()).toEqual([VaultErrorCode.TAMPERED, VaultErrorCode.TAMPERED, 'ok']);
    await swap(x, y);
    await swap(x, ofTwo[0] ?? ''); // across packages: another data key
    expect((await outcome()).filter((code) => code === VaultErrorCode.TAMPERED)).toHaveLength(2);
  });

  it('refuses a wrong master key with VAULT_KEY_MISMATCH and changes nothing', async () => {
    const v = await open();
    await v.store({ meta, files: entries({ 'a.bin': patternBytes(100) }) });
    v.close();
    const before = await listFiles(dir);
    await expectCode(openVault({ dir, protector: wrongKeyProtector(), clock: fixedClock }), VaultErrorCode.KEY_MISMATCH);
    await expectCode(openVault({ dir, protector: insecureTestProtector({ key: Buffer.alloc(32, 9) }), clock: fixedClock }), VaultErrorCode.KEY_UNAVAILABLE);
    expect(await listFiles(dir)).toEqual(before);
  });

  it('refuses an altered or foreign index with VAULT_INDEX_TAMPERED and sweeps nothing', async () => {
    const other = join(dir, '..', 'other');
    const v2 = await openVault({ dir: other, protector, clock: fixedClock });
    v2.close();
    const v = await open();
    await v.store({ meta, files: entries({ 'a.bin': patternBytes(100) }) });
    v.close();
    const indexPath = join(dir, 'index.mdv');
    const good = await readFile(indexPath);
    const flipped = Buffer.from(good);
    flipped[20] = (flipped[20] ?? 0) ^ 0x10;
    await writeFile(indexPath, flipped);
    const before = await listFiles(dir);
    await expectCode(open(), VaultErrorCode.INDEX_TAMPERED);
    await copyFile(join(other, 'index.mdv'), indexPath);
    await expectCode(open(), VaultErrorCode.INDEX_TAMPERED);
    expect(await listFiles(dir)).toEqual(before);
    await writeFile(indexPath, good);
    expect(await (await open()).list()).toHaveLength(1);
  });

  it('will not mint a new key over data whose key record is gone, nor treat a lost index as empty', async () => {
    const v = await open();
    await v.store({ meta, files: entries({ 'a.bin': patternBytes(100) }) });
    v.close();
    await fsRename(join(dir, 'vault.key'), join(dir, '..', 'vault.key'));
    await expectCode(open(), VaultErrorCode.KEY_RECORD_MISSING);
    await fsRename(join(dir, '..', 'vault.key'), join(dir, 'vault.key'));
    await fsRename(join(dir, 'index.mdv'), join(dir, '..', 'index.mdv'));
    await expectCode(open(), VaultErrorCode.INDEX_MISSING);
    expect(await readdir(join(dir, 'blobs'))).toHaveLength(1);
    await writeFile(join(dir, 'vault.key'), '{not json');
    await expectCode(open(), VaultErrorCode.KEY_RECORD_DAMAGED);
  });

  it('refuses a key record from a newer format', async () => {
    (await open()).close();
    const record = JSON.parse(await readFile(join(dir, 'vault.key'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'vault.key'), JSON.stringify({ ...record, version: 99 }));
    await expectCode(open(), VaultErrorCode.NEWER_FORMAT);
  });
});

describe('key protection', () => {
  it('refuses to create a vault under weak OS protection (Linux basic_text) with VAULT_WEAK_KEY_PROTECTION', async () => {
    await expectCode(open({ protector: insecureTestProtector({ strong: false }) }), VaultErrorCode.WEAK_KEY_PROTECTION);
    expect(await inspectVault(dir)).toEqual({ exists: false });
    (await open()).close();
    await expectCode(open({ protector: insecureTestProtector({ strong: false }) }), VaultErrorCode.WEAK_KEY_PROTECTION);
    const failing = { ...insecureTestProtector(), protect: () => Promise.reject(new Error('keyring locked')) };
    await expectCode(openVault({ dir: join(dir, '..', 'fresh'), protector: failing, clock: fixedClock }), VaultErrorCode.KEY_UNAVAILABLE);
  });

  it('accepts a passphrase instead, records it, and asks for it on the next open', async () => {
    const pass = createPassphraseProtector('correct horse battery staple', { log2N: 12 });
    const v = await open({ protector: pass });
    expect(v.protection).toBe('passphrase');
    const stored = await v.store({ meta, files: entries({ 'a.json': Buffer.from('{"ok":true}') }) });
    const history = v.deriveKey('history');
    v.close();
    expect(await inspectVault(dir)).toEqual({ exists: true, protection: 'passphrase' });
    await expectCode(open({ protector: insecureTestProtector() }), VaultErrorCode.PASSPHRASE_REQUIRED);
    await expectCode(open({ protector: createPassphraseProtector('wrong horse battery staple', { log2N: 12 }) }), VaultErrorCode.WRONG_PASSPHRASE);
    const again = await open({ protector: createPassphraseProtector('correct horse battery staple', { log2N: 12 }) });
    expect(Buffer.from(await again.readFileBytes(stored.id, 'a.json')).toString()).toBe('{"ok":true}');
    expect(again.deriveKey('history').equals(history)).toBe(true);
  });

  it('refuses a short passphrase', () => {
    expect(() => createPassphraseProtector('short')).toThrow(expect.objectContaining({ code: VaultErrorCode.WEAK_PASSPHRASE }) as Error);
  });

  it('uses scrypt with N ≥ 2^17 by default', async () => {
    const sealed = await createPassphraseProtector('a long enough passphrase').protect(new Uint8Array(32));
    expect(Buffer.from(sealed).subarray(0, 8).toString()).toBe('MDVPASS1');
    expect(sealed[8]).toBeGreaterThanOrEqual(17);
  });

  it('derives stable, distinct 32-byte subkeys that differ per vault', async () => {
    const v = await open();
    const history = v.deriveKey('history');
    expect(history).toHaveLength(32);
    expect(v.deriveKey('history').equals(history)).toBe(true);
    expect(v.deriveKey('receipts').equals(history)).toBe(false);
    expect(() => v.deriveKey('../index')).toThrow();
    v.close();
    const otherDir = join(dir, '..', 'other');
    const other = await openVault({ dir: otherDir, protector, clock: fixedClock });
    expect(other.deriveKey('history').equals(history)).toBe(false);
    other.close();
  });
});

describe('cancel and failures leave nothing', () => {
  it('a cancel mid-store leaves no blob, no temp file and no index entry', async () => {
    const v = await open();
    await v.store({ meta, files: entries({ 'keep.bin': patternBytes(2000) }) });
    const before = await listFiles(dir);
    const controller = new AbortController();
    const files = entries({ 'one.bin': patternBytes(50_000), 'two.bin': patternBytes(200_000) });
    const failure = await expectCode(
      v.store(
        { meta, files },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.bytes > 120_000) controller.abort();
          },
        },
      ),
      VaultErrorCode.CANCELLED,
    );
    expect(failure.retryable).toBe(false);
    expect(await v.list()).toHaveLength(1);
    const after = await listFiles(dir);
    expect(after.filter((p) => !p.endsWith('index.mdv'))).toEqual(before.filter((p) => !p.endsWith('index.mdv')));
    expect(after).toEqual(before);
  });

  it('ENOSPC from the file layer at any point of a store is VAULT_DISK_FULL with nothing half-written', async () => {
    const input = () => entries({ 'a.bin': patternBytes(20_000), 'b.bin': patternBytes(20_000) });
    // How much a successful store writes, so the budgets below cover blobs, their headers and the index.
    const counting = failingFs({});
    const probe = await open({ fs: counting });
    await probe.store({ meta, files: input() });
    probe.close();
    const total = counting.written;
    expect(total).toBeGreaterThan(40_000);
    await removeDir(dir);
    for (const budget of [0, 30, 1000, 20_000, 20_100, 30_000, total - 500, total - 1]) {
      const v = await open();
      const kept = await v.store({ meta, files: entries({ 'kept.bin': patternBytes(1000) }) });
      v.close();
      const w = await open({ fs: failingFs({ budget }) });
      const files = await listFiles(dir);
      const failure = await expectCode(w.store({ meta, files: input() }), VaultErrorCode.DISK_FULL);
      expect(failure.retryable).toBe(true);
      expect(failure.message_en).toMatch(/Free some disk space/);
      expect(await listFiles(dir), `budget ${budget}`).toEqual(files);
      expect((await w.list()).map((p) => p.id)).toEqual([kept.id]);
      w.close();
      const reopened = await open();
      expect((await reopened.list()).map((p) => p.id)).toEqual([kept.id]);
      reopened.close();
      await removeDir(dir);
    }
  });

  it('a failed index rename is VAULT_DISK_FULL and the package does not appear, even after reopening', async () => {
    (await open()).close();
    const w = await open({ fs: { ...failingFs({}), rename: async (from: string, to: string) => {
      if (to.endsWith('index.mdv')) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'rename' });
      const { rename } = await import('node:fs/promises');
      await rename(from, to);
    } } });
    await expectCode(w.store({ meta, files: entries({ 'a.bin': patternBytes(3000) }) }), VaultErrorCode.DISK_FULL);
    expect(await w.list()).toEqual([]);
    expect(await readdir(join(dir, 'blobs'))).toEqual([]);
    w.close();
    expect(await (await open()).list()).toEqual([]);
  });

  it('other I/O errors are VAULT_ACCESS_DENIED / VAULT_IO_ERROR', async () => {
    (await open()).close();
    const denied = await open({ fs: failingFs({ budget: 0, code: 'EACCES' }) });
    await expectCode(denied.store({ meta, files: entries({ 'a.bin': patternBytes(10) }) }), VaultErrorCode.ACCESS_DENIED);
    denied.close();
    const eio = await open({ fs: failingFs({ budget: 100, code: 'EIO' }) });
    await expectCode(eio.store({ meta, files: entries({ 'a.bin': patternBytes(10_000) }) }), VaultErrorCode.IO_ERROR);
    expect(await readdir(join(dir, 'blobs'))).toEqual([]);
  });

  it('an open sweeps temp files and blobs the index does not name, and keeps named ones', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'a.bin': patternBytes(1000) }) });
    v.close();
    const orphan = join(dir, 'blobs', `${'ab'.repeat(16)}.blob`);
    await writeFile(orphan, randomBytes(100));
    await writeFile(join(dir, 'blobs', `.${'cd'.repeat(16)}.blob.0123456789ab.tmp`), randomBytes(100));
    await writeFile(join(dir, '.index.mdv.0123456789ab.tmp'), randomBytes(100));
    const w = await open();
    const left = await listFiles(dir);
    expect(left.map((p) => p.slice(dir.length + 1)).filter((p) => p !== 'index.mdv' && p !== 'vault.key')).toHaveLength(1);
    expect(left.some((p) => p.endsWith('.tmp') || p === orphan)).toBe(false);
    expect(Buffer.from(await w.readFileBytes(stored.id, 'a.bin')).equals(patternBytes(1000))).toBe(true);
  });
});

describe('delete', () => {
  it('delete removes the blobs and the wrapped key, and the rest stays readable', async () => {
    const v = await open();
    const a = await v.store({ meta, files: entries({ 'a.bin': patternBytes(3000, 1), 'b.bin': patternBytes(10, 2) }) });
    const b = await v.store({ meta, files: entries({ 'c.bin': patternBytes(3000, 3) }) });
    const indexBefore = await readFile(join(dir, 'index.mdv'));
    await v.delete(a.id);
    expect(await readdir(join(dir, 'blobs'))).toHaveLength(1);
    expect((await v.list()).map((p) => p.id)).toEqual([b.id]);
    await expectCode(v.get(a.id), VaultErrorCode.NOT_FOUND);
    await expectCode(v.delete(a.id), VaultErrorCode.NOT_FOUND);
    const indexAfter = await readFile(join(dir, 'index.mdv'));
    expect(indexAfter.length).toBeLessThan(indexBefore.length);
    v.close();
    // The key is gone for good: the old index (had someone kept a copy) is the only place it ever was.
    const w = await open();
    expect((await w.list()).map((p) => p.id)).toEqual([b.id]);
    expect(Buffer.from(await w.readFileBytes(b.id, 'c.bin')).equals(patternBytes(3000, 3))).toBe(true);
    await w.deleteAll();
    expect(await w.list()).toEqual([]);
    expect(await readdir(join(dir, 'blobs'))).toEqual([]);
    w.close();
    expect(await (await open()).list()).toEqual([]);
  });
});

describe('export', () => {
  let out: string;
  beforeEach(async () => {
    out = join(dir, '..', 'export');
    await mkdir(out);
  });

  it('decrypts every file into the chosen folder, creating provider sub-folders', async () => {
    const v = await open();
    const files = { 'API.A1/data.json': Buffer.from('{"x":1}'), 'API.B2/r.pdf': patternBytes(5000) };
    const stored = await v.store({ meta, files: entries(files) });
    const result = await v.export(stored.id, out);
    expect(result.files).toEqual([join(out, 'API.A1', 'data.json'), join(out, 'API.B2', 'r.pdf')]);
    for (const [name, bytes] of Object.entries(files)) expect((await readFile(join(out, name))).equals(bytes)).toBe(true);
    expect((await listFiles(out)).some((p) => p.endsWith('.tmp'))).toBe(false);
  });

  it('refuses to overwrite an existing file unless asked, before writing anything', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'a.json': Buffer.from('new a'), 'b.json': Buffer.from('new b') }) });
    await writeFile(join(out, 'b.json'), 'mine');
    await expectCode(v.export(stored.id, out), VaultErrorCode.EXPORT_EXISTS);
    expect(await readdir(out)).toEqual(['b.json']);
    expect(await readFile(join(out, 'b.json'), 'utf8')).toBe('mine');
    await v.export(stored.id, out, { overwrite: true });
    expect(await readFile(join(out, 'b.json'), 'utf8')).toBe('new b');
    expect((await readdir(out)).sort()).toEqual(['a.json', 'b.json']);
  });

  it('a disk-full export removes what it created and names the destination', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'd/a.bin': patternBytes(5000), 'd/b.bin': patternBytes(5000) }) });
    v.close();
    const w = await open({ fs: failingFs({ budget: 7000 }) });
    const failure = await expectCode(w.export(stored.id, out), VaultErrorCode.EXPORT_DISK_FULL);
    expect(failure.message_en).toMatch(/export destination/);
    expect(await readdir(out)).toEqual([]);
  });

  it('a cancelled export leaves the folder as it was', async () => {
    const v = await open();
    const stored = await v.store({ meta, files: entries({ 'a.bin': patternBytes(50_000), 'b.bin': patternBytes(50_000) }) });
    await writeFile(join(out, 'mine.txt'), 'keep me');
    const controller = new AbortController();
    await expectCode(
      v.export(stored.id, out, { signal: controller.signal, onProgress: (p) => p.bytes > 70_000 && controller.abort() }),
      VaultErrorCode.CANCELLED,
    );
    expect(await readdir(out)).toEqual(['mine.txt']);
  });
});
