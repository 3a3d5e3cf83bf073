// Test doubles for the vault: an INSECURE key protector for Node tests, byte streams, and a file layer that fails on cue.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, KeyProtector } from '../../../electron/core/ports.ts';
import { nodeVaultFs, type VaultFile, type VaultFs } from '../../../electron/core/vault/index.ts';

/**
 * NOT PROTECTION: seals with AES-GCM under a key written in this file, standing in for Electron's safeStorage
 * where no Electron exists. `strong` says what isStrong() reports (false mimics Linux basic_text).
 */
export function insecureTestProtector(options: { strong?: boolean; key?: Uint8Array } = {}): KeyProtector & { calls: number } {
  const key = options.key ?? Buffer.alloc(32, 7);
  const protector = {
    calls: 0,
    isStrong: () => Promise.resolve(options.strong ?? true),
    protect(plain: Uint8Array) {
      protector.calls += 1;
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Promise.resolve(new Uint8Array(Buffer.concat([Buffer.from('TESTONLY'), nonce, body, cipher.getAuthTag()])));
    },
    unprotect(sealed: Uint8Array) {
      protector.calls += 1;
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(8, 20));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Promise.resolve(new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(20, bytes.length - 16)), decipher.final()])));
    },
  };
  return protector;
}

/** A protector that "unprotects" to a different key each time: the vault must notice it is the wrong one. */
export function wrongKeyProtector(): KeyProtector {
  return {
    isStrong: () => Promise.resolve(true),
    protect: (plain) => Promise.resolve(plain),
    unprotect: () => Promise.resolve(new Uint8Array(randomBytes(32))),
  };
}

export const fixedClock: Clock = { now: () => new Date('2025-03-14T09:26:53.000Z') };

export async function tempDir(prefix = 'vault-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Deterministic bytes, so a mismatch points at an offset. */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Yields `bytes` in pieces of `piece` bytes (uneven sizes exercise the chunker's buffering). */
export async function* streamOf(bytes: Uint8Array, piece = 10_000): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += piece) {
    await Promise.resolve();
    yield bytes.subarray(offset, Math.min(bytes.length, offset + piece));
  }
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/** Every regular file under `dir`, recursively, with its path. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out.sort();
}

export async function anyFileContains(dir: string, needle: Uint8Array): Promise<string | null> {
  for (const path of await listFiles(dir)) {
    if ((await stat(path)).isFile() && (await readFile(path)).includes(Buffer.from(needle))) return path;
  }
  return null;
}

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  const error = new Error(`${code}: injected failure, ${syscall}`) as NodeJS.ErrnoException;
  error.code = code;
  error.syscall = syscall;
  return error;
}

/**
 * nodeVaultFs, but every write fails with `code` once `budget` bytes in total have been written
 * (like a disk that fills up); `failRename` makes renames fail instead.
 */
export function failingFs(options: { budget?: number; code?: string; failRename?: boolean }): VaultFs & { written: number } {
  const code = options.code ?? 'ENOSPC';
  const layer = {
    ...nodeVaultFs,
    written: 0,
    async openNew(path: string): Promise<VaultFile> {
      const file = await nodeVaultFs.openNew(path);
      return {
        ...file,
        async write(data: Uint8Array) {
          if (options.budget !== undefined && layer.written + data.length > options.budget) throw errno(code, 'write');
          layer.written += data.length;
          await file.write(data);
        },
      };
    },
    async rename(from: string, to: string) {
      if (options.failRename) throw errno(code, 'rename');
      await nodeVaultFs.rename(from, to);
    },
  };
  return layer;
}

/** The files of crash-test package number `tag`: sizes vary around chunk boundaries, content is reproducible. */
export function crashPackageFiles(tag: number): Record<string, Buffer> {
  const sizes = [0, 1, 4095, 4096, 4097, 30_000, 200_000];
  const count = 1 + (tag % 3);
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) out[`p${i}/f${i}.bin`] = patternBytes(sizes[(tag + i * 5) % sizes.length] ?? 0, tag * 7 + i + 1);
  return out;
}
