// The one file-writing layer of core and main: private folders (0700), private files created exclusively (0600, never
// through a planted symlink), atomic replacement. Injectable so tests can fail it (ENOSPC) at any point.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../../contract/errors.ts';

/** Folders of the profile (vault, history, receipts, caches): the owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Every file the app writes for itself: the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

export const FilesError = {
  folderNotPrivate: (path: string) =>
    new AppFailure({
      code: 'FILES_FOLDER_NOT_PRIVATE',
      message_zh: `資料夾「${path}」不是本程式可以安全使用的一般資料夾（可能被換成捷徑或連結），因此未讀寫其中任何檔案。請檢查這個資料夾，或改用新的設定檔。`,
      message_en: `The folder "${path}" is not a plain folder the app can use safely (it may have been replaced by a link), so nothing in it was read or written. Check the folder, or use a new profile.`,
      retryable: false,
    }),
};

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
  // 'wx' is O_CREAT|O_EXCL: an existing name, a symlink (even a dangling one) included, fails with EEXIST.
  openNew: async (path) => wrapHandle(await fsp.open(path, 'wx', PRIVATE_FILE_MODE)),
  openRead: async (path) => wrapHandle(await fsp.open(path, 'r')),
  rename: (from, to) => fsp.rename(from, to),
  link: (from, to) => fsp.link(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (path) => fsp.readdir(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
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

/**
 * Makes a folder of the profile private: creates it (0700) when missing; refuses one that is a symlink or not a
 * folder (FILES_FOLDER_NOT_PRIVATE); tightens an existing one that others could read or enter (older versions, or
 * a umask) to 0700. Only for the app's own folders, never for a folder the person picked.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  try {
    await fsp.mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    // A file (or a link to one) in its place: the lstat below names it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
  }
  const stat = await fsp.lstat(path);
  if (stat.isSymbolicLink() || !stat.isDirectory()) throw FilesError.folderNotPrivate(path);
  // Windows has no POSIX modes; the profile lives under the user's own AppData there.
  if (process.platform !== 'win32' && (stat.mode & 0o777) !== PRIVATE_DIR_MODE) await fsp.chmod(path, PRIVATE_DIR_MODE);
}

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
