// The narrow file-system layer the vault writes through: injectable so tests can fail it (ENOSPC) at any point.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file opened by the vault; writes are sequential and complete. */
export interface VaultFile {
  write(data: Uint8Array): Promise<void>;
  /** Reads up to `into.length` bytes at `position`; returns how many were read (0 at the end). */
  read(into: Uint8Array, position: number): Promise<number>;
  size(): Promise<number>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface VaultFs {
  /** Creates a new file (never an existing one), readable only by its owner. */
  openNew(path: string): Promise<VaultFile>;
  openRead(path: string): Promise<VaultFile>;
  rename(from: string, to: string): Promise<void>;
  /** Hard link; fails with EEXIST when `to` exists (used for exports that must not overwrite). */
  link(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** lstat-based: a dangling symlink counts as existing. */
  exists(path: string): Promise<boolean>;
  readFile(path: string): Promise<Uint8Array>;
  /** Makes a directory's entries (creations, renames, unlinks) durable. */
  syncDir(path: string): Promise<void>;
}

function wrapHandle(handle: fsp.FileHandle): VaultFile {
  return {
    async write(data) {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
        offset += bytesWritten;
      }
    },
    async read(into, position) {
      const { bytesRead } = await handle.read(into, 0, into.length, position);
      return bytesRead;
    },
    async size() {
      return (await handle.stat()).size;
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

export const nodeVaultFs: VaultFs = {
  openNew: async (path) => wrapHandle(await fsp.open(path, 'wx', 0o600)),
  openRead: async (path) => wrapHandle(await fsp.open(path, 'r')),
  rename: (from, to) => fsp.rename(from, to),
  link: (from, to) => fsp.link(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (path) => fsp.readdir(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true, mode: 0o700 });
  },
  rmdir: (path) => fsp.rmdir(path),
  exists: async (path) => {
    try {
      await fsp.lstat(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  },
  readFile: async (path) => new Uint8Array(await fsp.readFile(path)),
  syncDir: async (path) => {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if (process.platform === 'win32') return;
    const handle = await fsp.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Temp names are hidden, end in `.tmp`, and are recognisable so an open after a crash can sweep them. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/** Best-effort removal used on failure paths, where the original error is the one worth reporting. */
export async function removeQuietly(fs: VaultFs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Already gone, or the disk is failing; the next open sweeps leftovers.
  }
}

/** Temp file, fsync, rename over the target, fsync of the folder: the target is always old or new, never torn. */
export async function writeFileAtomic(fs: VaultFs, path: string, bytes: Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const file = await fs.openNew(temp);
    try {
      await file.write(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await removeQuietly(fs, temp);
    throw error;
  }
  await fs.syncDir(dirname(path));
}
