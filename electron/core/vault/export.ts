// Exporting a package (G12): every file decrypted into a chosen folder through a temp name and a rename; a refused or failed export leaves the folder as it was.
import { dirname, join } from 'node:path';
import { checkAbort, type OpenedVault } from './context.ts';
import { VaultError } from './errors.ts';
import { removeQuietly, tempPathFor, type VaultFs } from './fsio.ts';
import { nameFailure } from './key-record.ts';
import type { ExportProgress, PackageRecord } from './model.ts';
import { exportSegments } from './names.ts';
import { decryptFile } from './read.ts';

/** Vault.export: see its documentation in model.ts. */
export async function exportPackage(
  vault: OpenedVault,
  record: PackageRecord,
  destDir: string,
  exportOptions: { overwrite?: boolean; signal?: AbortSignal; onProgress?: (progress: ExportProgress) => void } = {},
): Promise<{ files: string[] }> {
  const { fs } = vault;
  const { overwrite = false, signal, onProgress } = exportOptions;
  const targets = record.files.map((file) => ({ file, path: join(destDir, ...exportSegments(file.name)) }));
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  let temp: string | null = null;
  const bytesTotal = record.files.reduce((sum, file) => sum + file.size, 0);
  let bytes = 0;
  try {
    // Refuse before writing anything, so a refused export leaves the folder exactly as it was.
    for (const { path } of targets) {
      if (!overwrite && (await fs.exists(path))) throw VaultError.exportExists(path);
    }
    for (const [done, { file, path }] of targets.entries()) {
      checkAbort(signal);
      const existed = await fs.exists(path);
      await makeParents(fs, destDir, dirname(path), createdDirs);
      temp = tempPathFor(path);
      const out = await fs.openNew(temp);
      try {
        for await (const chunk of decryptFile(vault, record, file.name, signal)) {
          await out.write(chunk);
          bytes += chunk.length;
          onProgress?.({ file: file.name, filesDone: done, filesTotal: targets.length, bytes, bytesTotal });
        }
        await out.sync();
      } finally {
        await out.close();
      }
      await place(fs, temp, path, overwrite);
      temp = null;
      if (!existed) createdFiles.push(path);
      await fs.syncDir(dirname(path));
    }
    return { files: targets.map(({ path }) => path) };
  } catch (error) {
    if (temp) await removeQuietly(fs, temp);
    for (const path of createdFiles) await removeQuietly(fs, path);
    for (const path of createdDirs.reverse()) await fs.rmdir(path).catch(() => undefined);
    throw nameFailure(error, 'export');
  }
}

async function makeParents(fs: VaultFs, root: string, dir: string, created: string[]): Promise<void> {
  if (dir === root || (await fs.exists(dir))) return;
  await makeParents(fs, root, dirname(dir), created);
  await fs.mkdir(dir);
  created.push(dir);
}

/** Moves an exported temp file into place; without `overwrite`, a hard link makes "only if absent" atomic. */
async function place(fs: VaultFs, temp: string, path: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await fs.rename(temp, path);
    return;
  }
  try {
    await fs.link(temp, path);
    await fs.unlink(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw VaultError.exportExists(path);
    // FAT/exFAT drives and some network shares have no hard links: check, then rename.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV') {
      if (await fs.exists(path)) throw VaultError.exportExists(path);
      await fs.rename(temp, path);
      return;
    }
    throw error;
  }
}
