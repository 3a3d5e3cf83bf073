// The download spool's crypto (download-spool-crypto.ts) on its worker thread and on the caller's thread: the same
// AES-256-CTR ciphertext and SHA-256 as the openssl command line computes independently, however the bytes are split,
// also when a resumed spool takes up ciphertext first, and ranges decrypted from their own offsets; a worker that cannot start leaves the work on the caller's thread.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedSpool } from '../../../electron/core/package/download-spool.ts';
import { ownedBuffer, startSpoolCrypto, type SpoolCrypto } from '../../../electron/core/package/download-spool-crypto.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mydata-spool-crypto-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** AES-256-CTR by the openssl command line (not Node's crypto): the reference ciphertext. */
function opensslCtr(key: Buffer, iv: Buffer, plain: Buffer): Buffer {
  const file = join(tempDir(), 'plain.bin');
  writeFileSync(file, plain);
  return execFileSync('openssl', ['enc', '-aes-256-ctr', '-nosalt', '-K', key.toString('hex'), '-iv', iv.toString('hex'), '-in', file], { maxBuffer: 64 * 1024 * 1024 });
}

/** SHA-256 by the openssl command line: the reference digest. */
function sha256sum(plain: Buffer): string {
  const file = join(tempDir(), 'digest.bin');
  writeFileSync(file, plain);
  return execFileSync('openssl', ['dgst', '-sha256', '-r', file], { encoding: 'utf8' }).split(' ')[0] ?? '';
}

function owned(bytes: Uint8Array): Buffer {
  const buffer = ownedBuffer(bytes.length);
  buffer.set(bytes);
  return buffer;
}

async function sealAll(crypto: SpoolCrypto, plain: Buffer, cuts: number[]): Promise<{ sealed: Buffer; prefixes: (string | null)[] }> {
  const parts: Buffer[] = [];
  const prefixes: (string | null)[] = [];
  let at = 0;
  for (let i = 0; at < plain.length; i++) {
    const size = Math.min(cuts[i % cuts.length] ?? 1, plain.length - at);
    // The length given may be shorter than the buffer: only the first `size` bytes are sealed.
    const buffer = ownedBuffer(size + 7);
    buffer.set(plain.subarray(at, at + size));
    const { sealed, prefix } = await crypto.seal(buffer, size, i % 2 === 0);
    parts.push(sealed);
    prefixes.push(prefix);
    at += size;
  }
  return { sealed: Buffer.concat(parts), prefixes };
}

describe('spool crypto', () => {
  const plain = randomBytes(3 * 1024 * 1024 + 333);
  const key = randomBytes(32);
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8, 0xff)]); // the counter wraps within the first blocks
  const reference = () => ({ sealed: opensslCtr(key, iv, plain), digest: sha256sum(plain) });

  for (const [label, url] of [['on its worker thread', undefined], ['on the caller\'s thread', null]] as const) {
    it(`seals and digests exactly as the openssl command line, whatever the split (${label})`, async () => {
      const expected = reference();
      const crypto = await startSpoolCrypto(url);
      try {
        await crypto.reset(key, iv);
        const { sealed, prefixes } = await sealAll(crypto, plain, [1, 15, 17, 65536, 524288, 1_000_001]);
        expect(sealed.equals(expected.sealed)).toBe(true);
        expect(await crypto.digest()).toBe(expected.digest);
        expect(prefixes[1]).toBeNull(); // asked only for every other call
        expect(prefixes[0]).toBe(sha256sum(plain.subarray(0, 1)));
      } finally {
        await crypto.close();
      }
    });

    it(`continues the keystream and the digest after taking up ciphertext already on disk (${label})`, async () => {
      const expected = reference();
      const crypto = await startSpoolCrypto(url);
      try {
        await crypto.reset(randomBytes(32), randomBytes(16)); // an earlier key is replaced by the resumed one
        await crypto.reset(key, iv);
        const split = 1_048_581;
        let buffer = owned(expected.sealed.subarray(0, split));
        buffer = await crypto.absorb(buffer, split);
        expect(buffer.length).toBe(split); // handed back for reuse
        const { sealed } = await sealAll(crypto, plain.subarray(split), [524288]);
        expect(sealed.equals(expected.sealed.subarray(split))).toBe(true);
        expect(await crypto.digest()).toBe(expected.digest);
      } finally {
        await crypto.close();
      }
    });

    it(`decrypts any range from its own offset, as openssl encrypted it (${label})`, async () => {
      const expected = reference();
      const crypto = await startSpoolCrypto(url);
      try {
        for (const [start, end] of [[0, 1], [5, 21], [16, 48], [1_000_003, 2_048_577], [plain.length - 3, plain.length]] as const) {
          const { plain: got, buffer } = await crypto.decrypt(key, iv, start, owned(expected.sealed.subarray(start, end)), end - start);
          expect(got.equals(plain.subarray(start, end))).toBe(true);
          expect(buffer.length).toBe(end - start);
        }
      } finally {
        await crypto.close();
      }
    });
  }

  it.each<[string, () => { url: URL; readyTimeoutMs?: number }]>([
    ['cannot start (its file is missing)', () => ({ url: pathToFileURL(join(tempDir(), 'no-such-worker.js')) })],
    ['starts but never says it is ready', () => {
      const silent = join(tempDir(), 'silent-worker.mjs');
      writeFileSync(silent, 'setInterval(() => {}, 1000);\n');
      return { url: pathToFileURL(silent), readyTimeoutMs: 300 };
    }],
  ])('works on the caller\'s thread when the worker %s', async (_case, worker) => {
    const { url, readyTimeoutMs } = worker();
    const expected = reference();
    const crypto = await startSpoolCrypto(url, readyTimeoutMs);
    try {
      await crypto.reset(key, iv);
      expect((await sealAll(crypto, plain, [524288])).sealed.equals(expected.sealed)).toBe(true);
    } finally {
      await crypto.close();
    }
  });

  it('refuses a buffer that does not own its memory, a call before any key, and calls after close', async () => {
    const crypto = await startSpoolCrypto();
    await expect(crypto.seal(Buffer.alloc(16), 16, false)).rejects.toThrow('no key');
    await crypto.reset(key, iv);
    const shared = ownedBuffer(64).subarray(8);
    await expect(crypto.seal(shared, 8, false)).rejects.toThrow('must own its memory');
    await crypto.close();
    await expect(crypto.digest()).rejects.toThrow('closed');
  });
});

describe('EncryptedSpool with its crypto on either thread', () => {
  it('a spool written with the worker is taken up on the caller\'s thread, and the other way round', async () => {
    const dir = tempDir();
    const spoolKey = randomBytes(32);
    const data = randomBytes(2 * 1024 * 1024 + 99);
    const half = 1024 * 1024 + 5;
    const first = await EncryptedSpool.openFor(dir, spoolKey, 'tx-x');
    await first.append(data.subarray(0, half));
    await first.suspend();
    const second = await EncryptedSpool.openFor(dir, spoolKey, 'tx-x', { cryptoWorker: null });
    expect(second.resumedFrom).toBe(half);
    await second.append(data.subarray(half, half + 300_000));
    await second.suspend();
    const third = await EncryptedSpool.openFor(dir, spoolKey, 'tx-x');
    expect(third.resumedFrom).toBe(half + 300_000);
    await third.append(data.subarray(half + 300_000));
    expect(await third.digest()).toBe(sha256sum(data));
    expect(Buffer.from(await third.read(0, data.length)).equals(data)).toBe(true);
    await third.dispose();
  });
});
