// The download spool (download-spool.ts): what goes in comes out at any offset, nothing plain reaches the disk, and
// a failed write — which now runs behind the download — is still reported, by the next append, flush or read.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedSpool } from '../../../electron/core/package/download-spool.ts';

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
    expect(onDisk.length).toBe(data.length);
    expect(onDisk.includes(Buffer.from('PLAIN-PACKAGE-BYTES-'))).toBe(false);
    await spool.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('after truncate(0) (a server that ignored Range) reads only the new bytes, also past the old read-ahead', async () => {
    const spool = await EncryptedSpool.create(tempDir());
    try {
      const first = randomBytes(3 * MIB);
      await spool.append(first);
      expect(Buffer.from(await spool.read(0, 100)).equals(first.subarray(0, 100))).toBe(true);
      await spool.truncate(0);
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
    // 4 MiB in 256 KiB appends is four 1 MiB writes: the 4th fails only after the last append, seen by flush().
    for (const failAt of [1, 3, 4]) {
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
