// The download spool (download-spool.ts): what goes in comes out at any offset, nothing plain reaches the disk, a
// failed write — which runs behind the download — is still reported by the next append, flush or read, and a new run
// takes up only checkpointed bytes whose digest holds.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedSpool, SPOOL_MAX_AGE_MS, sweepSpools } from '../../../electron/core/package/download-spool.ts';

const MIB = 1024 * 1024;
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mydata-spool-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts);
    parts.push(Buffer.from(value));
  }
}

/** A recognisable plain text: a marker repeated, so a plain copy on disk would be found. */
function plainBytes(size: number): Buffer {
  const marker = Buffer.from('PLAIN-PACKAGE-BYTES-');
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += marker.length) marker.copy(out, at);
  for (let i = 0; i < size; i += 4099) out[i] = i & 0xff;
  return out;
}

async function fileHandlePrototype(): Promise<{ write: (...args: unknown[]) => Promise<unknown> }> {
  const dir = tempDir();
  const h = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(h) as { write: (...args: unknown[]) => Promise<unknown> };
  await h.close();
  return proto;
}

describe('EncryptedSpool', () => {
  it('gives back exactly what was appended, at any range, whatever the chunking (property)', async () => {
    const data = plainBytes(5 * MIB + 12345);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 2 * MIB }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(data.length), fc.nat(3 * MIB)), { minLength: 1, maxLength: 8 }),
        async (cuts, ranges) => {
          const spool = await EncryptedSpool.create(tempDir());
          try {
            let at = 0;
            for (let i = 0; at < data.length; i++) {
              const size = cuts[i % cuts.length] ?? 1;
              await spool.append(data.subarray(at, Math.min(data.length, at + size)));
              at += size;
            }
            expect(spool.size).toBe(data.length);
            for (const [start, length] of ranges) {
              const got = Buffer.from(await spool.read(start, start + length));
              expect(got.equals(data.subarray(start, Math.min(data.length, start + length)))).toBe(true);
            }
            // A sequential pass (the verifier's pattern, served from the read-ahead) after the random reads.
            expect((await collect(spool.stream(777, data.length))).equals(data.subarray(777))).toBe(true);
          } finally {
            await spool.dispose();
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('keeps no plain text on disk, and removes its file when disposed', async () => {
    const dir = tempDir();
    const data = plainBytes(3 * MIB);
    const spool = await EncryptedSpool.create(dir);
    for (let at = 0; at < data.length; at += 65536) await spool.append(data.subarray(at, at + 65536));
    await spool.flush();
    const onDisk = readFileSync(spool.path);
    // Two checkpoint slots (1 KiB) come before the data.
    expect(onDisk.length).toBe(1024 + data.length);
    expect(onDisk.includes(Buffer.from('PLAIN-PACKAGE-BYTES-'))).toBe(false);
    await spool.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('after restart() (a server that ignored Range) reads only the new bytes, also past the old read-ahead', async () => {
    const spool = await EncryptedSpool.create(tempDir());
    try {
      const first = randomBytes(3 * MIB);
      await spool.append(first);
      expect(Buffer.from(await spool.read(0, 100)).equals(first.subarray(0, 100))).toBe(true);
      await spool.restart();
      const second = randomBytes(2 * MIB + 5);
      for (let at = 0; at < second.length; at += 300_000) await spool.append(second.subarray(at, at + 300_000));
      expect((await collect(spool.stream(0, spool.size))).equals(second)).toBe(true);
    } finally {
      await spool.dispose();
    }
  });

  it('a write that fails behind the download (ENOSPC) is thrown by a later append or by flush, never lost', async () => {
    const proto = await fileHandlePrototype();
    const original = proto.write;
    // 4 MiB in 256 KiB appends is eight 512 KiB writes: the 8th fails only after the last append, seen by flush().
    for (const failAt of [1, 3, 8]) {
      let calls = 0;
      vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) {
        calls++;
        if (calls === failAt) return Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
        return original.apply(this, args);
      });
      const spool = await EncryptedSpool.create(tempDir());
      const data = randomBytes(4 * MIB);
      let failure: unknown = null;
      try {
        for (let at = 0; at < data.length; at += 256 * 1024) await spool.append(data.subarray(at, at + 256 * 1024));
        await spool.flush();
      } catch (error) {
        failure = error;
      } finally {
        await spool.dispose();
        vi.restoreAllMocks();
      }
      expect(failure).toMatchObject({ code: 'ENOSPC' });
    }
  });
});

describe('EncryptedSpool across runs (checkpoints)', () => {
  const spoolKey = Buffer.alloc(32, 9);

  it('takes up what the last run wrote, and continues the digest as if it had never stopped', async () => {
    const dir = tempDir();
    const data = randomBytes(3 * MIB + 777);
    const first = await EncryptedSpool.openFor(dir, spoolKey, 'tx-1');
    expect(first.resumedFrom).toBe(0);
    first.announce({ status: 200, total: data.length, sha256: null });
    await first.append(data.subarray(0, 2 * MIB + 5));
    await first.flush();
    // No dispose: the process died here.
    const next = await EncryptedSpool.openFor(dir, spoolKey, 'tx-1');
    try {
      expect(next.resumedFrom).toBe(2 * MIB + 5);
      expect(next.announced).toEqual({ status: 200, total: data.length, sha256: null });
      await next.append(data.subarray(2 * MIB + 5));
      expect(await next.digest()).toBe(createHash('sha256').update(data).digest('hex'));
      expect((await collect(next.stream(0, next.size))).equals(data)).toBe(true);
    } finally {
      await next.dispose();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a torn last write falls back to the checkpoint before it; a short file or another key or transaction starts over', async () => {
    const dir = tempDir();
    const data = randomBytes(2 * MIB);
    const spool = await EncryptedSpool.openFor(dir, spoolKey, 'tx-2');
    // As the network delivers it: 64 KiB chunks, written (and checkpointed) 512 KiB at a time.
    for (let at = 0; at < data.length; at += 65536) await spool.append(data.subarray(at, at + 65536));
    await spool.suspend();
    const path = join(dir, readdirSync(dir)[0] ?? '');
    // Damage a byte in the last 512 KiB write: the newest slot's digest fails, the one before it holds.
    const bytes = readFileSync(path);
    bytes[1024 + 2 * MIB - 10] = (bytes[1024 + 2 * MIB - 10] ?? 0) ^ 1;
    writeFileSync(path, bytes);
    const torn = await EncryptedSpool.openFor(dir, spoolKey, 'tx-2');
    expect(torn.resumedFrom).toBe(2 * MIB - 512 * 1024);
    expect(Buffer.from(await torn.read(0, torn.size)).equals(data.subarray(0, torn.size))).toBe(true);
    await torn.suspend();
    expect(statSync(path).size).toBe(1024 + 2 * MIB - 512 * 1024);

    // Another vault's key finds no spool; another transaction's spool copied under this one's name is not taken up.
    const stranger = await EncryptedSpool.openFor(dir, Buffer.alloc(32, 1), 'tx-2');
    expect(stranger.resumedFrom).toBe(0);
    expect(stranger.path).not.toBe(path);
    await stranger.dispose();
    const other = await EncryptedSpool.openFor(dir, spoolKey, 'tx-5');
    const otherPath = other.path;
    await other.dispose();
    copyFileSync(path, otherPath);
    const swapped = await EncryptedSpool.openFor(dir, spoolKey, 'tx-5');
    expect(swapped.resumedFrom).toBe(0);
    await swapped.dispose();
    const again = await EncryptedSpool.openFor(dir, spoolKey, 'tx-2');
    expect(again.resumedFrom).toBe(2 * MIB - 512 * 1024);
    await again.suspend();
    // A file cut short (the OS lost the tail): the slots name bytes that are not there.
    truncateSync(path, 1024 + 100 * 1024);
    const short = await EncryptedSpool.openFor(dir, spoolKey, 'tx-2');
    expect(short.resumedFrom).toBe(0);
    await short.dispose();
  });

  it('a checkpointed spool keeps no plain text and no key on disk', async () => {
    const dir = tempDir();
    const spool = await EncryptedSpool.openFor(dir, spoolKey, 'tx-3');
    await spool.append(plainBytes(MIB));
    await spool.suspend();
    const onDisk = readFileSync(join(dir, readdirSync(dir)[0] ?? ''));
    expect(onDisk.includes(Buffer.from('PLAIN-PACKAGE-BYTES-'))).toBe(false);
    expect(onDisk.includes(Buffer.from('tx-3'))).toBe(false);
    expect(onDisk.includes(spoolKey)).toBe(false);
  });

  it('the start-up sweep removes throwaway and stale spools and keeps resumable ones', async () => {
    const dir = tempDir();
    const throwaway = await EncryptedSpool.create(dir);
    await throwaway.append(randomBytes(1000));
    await throwaway.flush();
    const resumable = await EncryptedSpool.openFor(dir, spoolKey, 'tx-4');
    await resumable.append(randomBytes(1000));
    await resumable.suspend();
    const kept = basename(resumable.path);
    expect(await sweepSpools(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual([kept]);
    expect(await sweepSpools(dir, Date.now() + SPOOL_MAX_AGE_MS + 1000)).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
    await throwaway.dispose();
  });
});
