// The chunked AEAD blob format: round trips at the chunk boundaries and every kind of tampering detected.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobIntegrityError, DEFAULT_CHUNK, HEADER_BYTES, TAG_BYTES, cipherSizeFor, readBlob, writeBlob } from '../../../electron/core/vault/blob.ts';
import { nodeVaultFs } from '../../../electron/core/vault/fsio.ts';
import { collect, patternBytes, removeDir, streamOf, tempDir } from './helpers.ts';

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await tempDir('blob-');
});
afterAll(async () => {
  await removeDir(dir);
});

async function encrypt(plain: Uint8Array, options: { chunkSize?: number; key?: Buffer; fileId?: Buffer; piece?: number } = {}) {
  const key = options.key ?? randomBytes(32);
  const fileId = options.fileId ?? randomBytes(16);
  const path = join(dir, `b${counter++}.blob`);
  const out = await nodeVaultFs.openNew(path);
  const result = await writeBlob(out, streamOf(plain, options.piece ?? 7_777), key, fileId, { chunkSize: options.chunkSize });
  await out.close();
  return { path, key, fileId, ...result };
}

async function decrypt(path: string, key: Uint8Array, fileId: Uint8Array, cipherSize: number): Promise<Buffer> {
  const file = await nodeVaultFs.openRead(path);
  try {
    return await collect(readBlob(file, key, fileId, cipherSize));
  } finally {
    await file.close();
  }
}

describe('blob round trips', () => {
  const C = DEFAULT_CHUNK;
  for (const size of [0, 1, C - 1, C, C + 1, 2 * C, 3 * 1024 * 1024 + 17]) {
    it(`restores ${size} bytes exactly, with the predicted ciphertext size`, async () => {
      const plain = patternBytes(size, size + 3);
      const { path, key, fileId, plainSize, cipherSize } = await encrypt(plain);
      expect(plainSize).toBe(size);
      expect(cipherSize).toBe(cipherSizeFor(size));
      expect((await readFile(path)).length).toBe(cipherSize);
      expect((await decrypt(path, key, fileId, cipherSize)).equals(plain)).toBe(true);
    });
  }

  it('round-trips random sizes, chunk sizes and input piece sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 16, max: 300 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 1, max: 500 }),
        async (chunkSize, size, piece) => {
          const plain = randomBytes(size);
          const { path, key, fileId, cipherSize } = await encrypt(plain, { chunkSize, piece });
          expect(cipherSize).toBe(cipherSizeFor(size, chunkSize));
          expect((await decrypt(path, key, fileId, cipherSize)).equals(plain)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never writes the plaintext into the blob', async () => {
    const marker = Buffer.from('PLAINTEXT-MARKER-京都-'.repeat(200));
    const { path } = await encrypt(marker);
    expect((await readFile(path)).includes(Buffer.from('PLAINTEXT-MARKER'))).toBe(false);
  });
});

describe('blob tampering', () => {
  const chunkSize = 64;

  async function expectTamper(path: string, key: Buffer, fileId: Buffer, cipherSize: number) {
    await expect(decrypt(path, key, fileId, cipherSize)).rejects.toBeInstanceOf(BlobIntegrityError);
  }

  it('detects any single flipped bit anywhere in the file (property)', async () => {
    const plain = randomBytes(chunkSize * 3 + 10);
    const { path, key, fileId, cipherSize } = await encrypt(plain, { chunkSize });
    const original = await readFile(path);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 0, max: 7 }), async (at, bit) => {
        const copy = Buffer.from(original);
        copy[at] = (copy[at] ?? 0) ^ (1 << bit);
        await writeFile(path, copy);
        await expectTamper(path, key, fileId, cipherSize);
      }),
      { numRuns: 80 },
    );
  });

  it('detects truncation at a chunk boundary even when the recorded size is forged to match', async () => {
    const plain = randomBytes(chunkSize * 4);
    const { path, key, fileId } = await encrypt(plain, { chunkSize });
    const bytes = await readFile(path);
    const cut = HEADER_BYTES + 2 * (chunkSize + TAG_BYTES);
    await writeFile(path, bytes.subarray(0, cut));
    await expectTamper(path, key, fileId, cut);
  });

  it('detects truncation against the recorded size before decrypting', async () => {
    const { path, key, fileId, cipherSize } = await encrypt(randomBytes(500), { chunkSize });
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 1));
    await expectTamper(path, key, fileId, cipherSize);
  });

  it('detects appended data', async () => {
    const { path, key, fileId } = await encrypt(randomBytes(chunkSize * 2), { chunkSize });
    const bytes = await readFile(path);
    const extended = Buffer.concat([bytes, bytes.subarray(HEADER_BYTES, HEADER_BYTES + chunkSize + TAG_BYTES)]);
    await writeFile(path, extended);
    await expectTamper(path, key, fileId, extended.length);
  });

  it('detects two chunks swapped', async () => {
    const { path, key, fileId, cipherSize } = await encrypt(randomBytes(chunkSize * 3 + 5), { chunkSize });
    const bytes = await readFile(path);
    const sealed = chunkSize + TAG_BYTES;
    const a = bytes.subarray(HEADER_BYTES, HEADER_BYTES + sealed);
    const b = bytes.subarray(HEADER_BYTES + sealed, HEADER_BYTES + 2 * sealed);
    const swapped = Buffer.concat([bytes.subarray(0, HEADER_BYTES), b, a, bytes.subarray(HEADER_BYTES + 2 * sealed)]);
    await writeFile(path, swapped);
    await expectTamper(path, key, fileId, cipherSize);
  });

  it('detects a chunk taken from another file under the same key', async () => {
    const key = randomBytes(32);
    const one = await encrypt(randomBytes(chunkSize * 2), { chunkSize, key });
    const two = await encrypt(randomBytes(chunkSize * 2), { chunkSize, key });
    const bytes = await readFile(one.path);
    const other = await readFile(two.path);
    other.copy(bytes, HEADER_BYTES, HEADER_BYTES, HEADER_BYTES + chunkSize + TAG_BYTES);
    await writeFile(one.path, bytes);
    await expectTamper(one.path, key, one.fileId, one.cipherSize);
  });

  it('refuses a whole blob read as another file, or with another key', async () => {
    const key = randomBytes(32);
    const one = await encrypt(randomBytes(300), { chunkSize, key });
    await expectTamper(one.path, key, randomBytes(16), one.cipherSize);
    await expectTamper(one.path, randomBytes(32), one.fileId, one.cipherSize);
  });

  it('refuses a header whose file id was rewritten to match', async () => {
    const key = randomBytes(32);
    const one = await encrypt(randomBytes(300), { chunkSize, key });
    const bytes = await readFile(one.path);
    const forged = randomBytes(16);
    forged.copy(bytes, 12);
    await writeFile(one.path, bytes);
    await expectTamper(one.path, key, forged, one.cipherSize);
  });

  it('an empty file cannot be forged from nothing', async () => {
    const { path, key, fileId, cipherSize } = await encrypt(new Uint8Array(0), { chunkSize });
    expect(cipherSize).toBe(HEADER_BYTES + TAG_BYTES);
    expect((await decrypt(path, key, fileId, cipherSize)).length).toBe(0);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, HEADER_BYTES));
    await expectTamper(path, key, fileId, HEADER_BYTES);
  });
});

describe('syncing a large blob as it is written', () => {
  /** A file that keeps what is written and logs each write and sync; a sync can be made to fail. */
  function recordingFile(failSync: number | null = null) {
    const log: string[] = [];
    let written = 0;
    let syncs = 0;
    let running = 0;
    const file = {
      write: async (data: Uint8Array) => {
        running++;
        await new Promise((resolve) => setImmediate(resolve));
        written += data.length;
        log.push(`write ${String(written)}`);
        running--;
      },
      read: () => Promise.resolve(0),
      size: () => Promise.resolve(written),
      sync: async () => {
        const n = ++syncs;
        running++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        log.push(`sync ${String(written)}`);
        if (n === failSync) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
      close: () => Promise.resolve(),
    };
    return { file, log, running: () => running };
  }

  it('syncs in the background while it writes, and has finished every sync when it returns', async () => {
    const plain = patternBytes(100 * 1024 * 1024);
    const { file, log, running } = recordingFile();
    const result = await writeBlob(file, streamOf(plain, 1024 * 1024), randomBytes(32), randomBytes(16));
    expect(result.plainSize).toBe(plain.length);
    const syncs = log.filter((l) => l.startsWith('sync'));
    // 100 MiB in 32 MiB steps: the disk was asked to catch up at least twice before the last byte was written.
    expect(syncs.length).toBeGreaterThanOrEqual(2);
    expect(log.indexOf(syncs[0] ?? '')).toBeLessThan(log.length - 10);
    expect(running()).toBe(0);
  });

  it('a background sync that fails fails the write, and nothing still runs when it returns', async () => {
    const { file, running } = recordingFile(1);
    await expect(writeBlob(file, streamOf(patternBytes(100 * 1024 * 1024), 1024 * 1024), randomBytes(32), randomBytes(16))).rejects.toMatchObject({ code: 'EIO' });
    expect(running()).toBe(0);
  });
});
