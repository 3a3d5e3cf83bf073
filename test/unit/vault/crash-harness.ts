// The vault's kill harness (§9), shared by crash.test.ts (a few kills) and the bench (hundreds): a child stores and
// deletes packages until SIGKILLed at a random moment; the parent reopens the vault and checks what it reported.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openVault } from '../../../electron/core/vault/index.ts';
import { crashPackageFiles, fixedClock, insecureTestProtector, listFiles } from './helpers.ts';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** The vault folder and its index's high-water mark beside it, as the app keeps them. */
export function crashPaths(root: string): { dir: string; mark: string } {
  return { dir: join(root, 'vault'), mark: join(root, 'vault.mark') };
}

export interface Run {
  committed: Map<string, number>;
  /** Deletes begun: the package may or may not be gone, since the kill can land before the report. */
  deleting: Set<string>;
  deleted: Set<string>;
}

/**
 * Starts the child and SIGKILLs it `workMs` after it printed READY (or after spawn, when `duringOpen`,
 * so some kills land in the open's own sweep and first writes), then collects what it reported.
 */
export function runAndKill(root: string, seed: number, workMs: number, duringOpen: boolean): Promise<Run> {
  const { dir, mark } = crashPaths(root);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(seed), mark], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killTimer: NodeJS.Timeout | undefined = duringOpen ? setTimeout(() => proc.kill('SIGKILL'), workMs) : undefined;
    const guard = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (text: string) => {
      out += text;
      if (!killTimer && out.includes('READY\n')) killTimer = setTimeout(() => proc.kill('SIGKILL'), workMs);
    });
    proc.stderr.on('data', (text: string) => (err += text));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(guard);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`child ended by itself (code ${String(code)}): ${err}`));
        return;
      }
      const run: Run = { committed: new Map(), deleting: new Set(), deleted: new Set() };
      // Only whole lines count: a line cut by the kill was never fully reported.
      for (const line of out.split('\n').slice(0, -1)) {
        const [word, id, tag] = line.split(' ');
        if (word === 'COMMITTED' && id) run.committed.set(id, Number(tag));
        if (word === 'DELETING' && id) run.deleting.add(id);
        if (word === 'DELETED' && id) run.deleted.add(id);
      }
      resolve(run);
    });
  });
}

/** What the parent knows across rounds: packages it must find (with their tag) and packages that must stay gone. */
export interface Expectation {
  expected: Map<string, number>;
  gone: Set<string>;
}

export function absorb(state: Expectation, run: Run): void {
  for (const [id, tag] of run.committed) state.expected.set(id, tag);
  for (const id of run.deleting) state.expected.delete(id);
  for (const id of run.deleted) state.gone.add(id);
}

export interface KillOutcome {
  /** Reported (committed, not being deleted) packages missing after the reopen (must be 0). */
  lost: number;
  /** Everything else wrong: a package that does not read back exactly, a deleted one back, an orphan, a temp file, a refused open. */
  problems: string[];
}

/** Reopens the vault (with its mark) after a kill and checks it against what was reported. */
export async function checkAfterKill(root: string, state: Expectation): Promise<KillOutcome> {
  const { dir, mark } = crashPaths(root);
  let vault;
  try {
    vault = await openVault({ dir, protector: insecureTestProtector(), clock: fixedClock, markFile: mark });
  } catch (error) {
    return { lost: state.expected.size, problems: [`open refused: ${error instanceof Error ? error.message : String(error)}`] };
  }
  try {
    const problems: string[] = [];
    const listed = await vault.list();
    const ids = new Set(listed.map((p) => p.id));
    let lost = 0;
    for (const id of state.expected.keys()) if (!ids.has(id)) lost++;
    for (const id of state.gone) if (ids.has(id)) problems.push(`deleted package ${id} is back`);
    // Every listed package, reported or not (the kill may have cut its report), reads back exactly.
    for (const pkg of listed) {
      const tag = Number(pkg.meta.service.id.replace('crash-', ''));
      if (state.expected.has(pkg.id) && state.expected.get(pkg.id) !== tag) problems.push(`package ${pkg.id} has another tag`);
      const files = crashPackageFiles(tag);
      if (pkg.files.map((f) => f.name).join('/') !== Object.keys(files).join('/')) problems.push(`package ${pkg.id} lists other files`);
      for (const [name, bytes] of Object.entries(files)) {
        if (!Buffer.from(await vault.readFileBytes(pkg.id, name)).equals(bytes)) problems.push(`${pkg.id}/${name} differs`);
      }
    }
    // No orphans: no temp files, and exactly one blob per listed file.
    const temps = [...(await listFiles(dir)), ...(await readdir(root))].filter((p) => p.endsWith('.tmp'));
    if (temps.length > 0) problems.push(`temporary files left: ${temps.join(', ')}`);
    const blobCount = (await readdir(join(dir, 'blobs'))).length;
    const fileCount = listed.reduce((sum, p) => sum + p.files.length, 0);
    if (blobCount !== fileCount) problems.push(`${String(blobCount)} blobs for ${String(fileCount)} files`);
    return { lost, problems };
  } finally {
    vault.close();
  }
}
