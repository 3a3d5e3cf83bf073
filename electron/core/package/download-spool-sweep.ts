// Removal of download spools that can no longer be resumed (an earlier run's leftovers) and of one transaction's spool once it is no longer needed.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RESUMABLE_NAME, resumableName, SPOOL_SUFFIX } from './download-spool-checkpoint.ts';

/** Spools this old are dropped at start: the platform keeps a package 8 hours after it is ready. */
export const SPOOL_MAX_AGE_MS = 24 * 3600_000;

/**
 * Removes spools an earlier run left that can no longer be resumed: those without checkpoints (an older format, or
 * an import's), and those older than SPOOL_MAX_AGE_MS. Resumable ones stay for the next download of their transaction.
 */
export async function sweepSpools(dir: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(SPOOL_SUFFIX))) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info === null) continue;
    if (RESUMABLE_NAME.test(name) && now - info.mtimeMs < SPOOL_MAX_AGE_MS) continue;
    await rm(path, { force: true });
    removed += 1;
  }
  return removed;
}

/** Deletes a transaction's resumable spool, if any (its package is kept, or its ticket is spent). */
export async function discardSpool(dir: string, spoolKey: Uint8Array, txId: string): Promise<void> {
  await rm(join(dir, resumableName(spoolKey, txId)), { force: true });
}
