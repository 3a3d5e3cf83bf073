// Crash safety: a child storing packages is SIGKILLed at random moments; every reopen finds a consistent vault.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openVault } from '../../../electron/core/vault/index.ts';
import { crashPackageFiles, fixedClock, insecureTestProtector, listFiles, removeDir, tempDir } from './helpers.ts';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
let root: string;
beforeAll(async () => {
  root = await tempDir('vault-crash-');
});
afterAll(async () => {
  await removeDir(root);
});

interface Run {
  committed: Map<string, number>;
  /** Deletes begun: the package may or may not be gone, since the kill can land before the report. */
  deleting: Set<string>;
  deleted: Set<string>;
}

/**
 * Starts the child and SIGKILLs it `workMs` after it printed READY (or after spawn, when `duringOpen`,
 * so some kills land in the open's own sweep and first writes), then collects what it reported.
 */
function runAndKill(dir: string, seed: number, workMs: number, duringOpen: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
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

it('after SIGKILL at random points, the vault reopens with every reported package intact and no orphans', { timeout: 120_000 }, async () => {
  const dir = join(root, 'vault');
  const expected = new Map<string, number>();
  const gone = new Set<string>();
  let totalCommitted = 0;
  const iterations = 10;
  for (let i = 0; i < iterations; i++) {
    // From almost immediately to long enough for a dozen packages, so kills land in opens, writes and commits.
    const duringOpen = i % 4 === 3;
    const workMs = Math.floor(Math.random() * (duringOpen ? 700 : 400));
    const run = await runAndKill(dir, i + 1, workMs, duringOpen);
    for (const [id, tag] of run.committed) expected.set(id, tag);
    for (const id of run.deleting) expected.delete(id);
    for (const id of run.deleted) gone.add(id);
    totalCommitted += run.committed.size;

    const vault = await openVault({ dir, protector: insecureTestProtector(), clock: fixedClock });
    try {
      const listed = await vault.list();
      const ids = new Set(listed.map((p) => p.id));
      for (const id of expected.keys()) expect(ids.has(id), `committed package ${id} missing after kill ${i}`).toBe(true);
      for (const id of gone) expect(ids.has(id), `deleted package ${id} back after kill ${i}`).toBe(false);
      // Every listed package, reported or not (the kill may have cut its report), reads back exactly.
      for (const pkg of listed) {
        const tag = Number(pkg.meta.service.id.replace('crash-', ''));
        if (expected.has(pkg.id)) expect(tag).toBe(expected.get(pkg.id));
        const files = crashPackageFiles(tag);
        expect(pkg.files.map((f) => f.name)).toEqual(Object.keys(files));
        for (const [name, bytes] of Object.entries(files)) {
          expect(Buffer.from(await vault.readFileBytes(pkg.id, name)).equals(bytes), `${pkg.id}/${name}`).toBe(true);
        }
      }
      // No orphans: no temp files, and exactly one blob per listed file.
      const all = await listFiles(dir);
      expect(all.filter((p) => p.endsWith('.tmp'))).toEqual([]);
      const blobCount = (await readdir(join(dir, 'blobs'))).length;
      expect(blobCount).toBe(listed.reduce((sum, p) => sum + p.files.length, 0));
    } finally {
      vault.close();
    }
  }
  // The kills must have landed while work was going on, not only before the first store.
  expect(totalCommitted).toBeGreaterThan(0);
});
