// Crash safety: a child storing packages is SIGKILLed at random moments; every reopen (with the index's high-water mark)
// finds a consistent vault. The bench runs the same harness hundreds of times.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { absorb, checkAfterKill, runAndKill, type Expectation } from './crash-harness.ts';
import { removeDir, tempDir } from './helpers.ts';

let root: string;
beforeAll(async () => {
  root = await tempDir('vault-crash-');
});
afterAll(async () => {
  await removeDir(root);
});

it('after SIGKILL at random points, the vault reopens with every reported package intact and no orphans', { timeout: 120_000 }, async () => {
  const state: Expectation = { expected: new Map(), gone: new Set() };
  let totalCommitted = 0;
  const iterations = 10;
  for (let i = 0; i < iterations; i++) {
    // From almost immediately to long enough for a dozen packages, so kills land in opens, writes and commits.
    const duringOpen = i % 4 === 3;
    const workMs = Math.floor(Math.random() * (duringOpen ? 700 : 400));
    const run = await runAndKill(root, i + 1, workMs, duringOpen);
    absorb(state, run);
    totalCommitted += run.committed.size;
    const outcome = await checkAfterKill(root, state);
    expect(outcome.lost, `after kill ${String(i)}`).toBe(0);
    expect(outcome.problems, `after kill ${String(i)}`).toEqual([]);
  }
  // The kills must have landed while work was going on, not only before the first store.
  expect(totalCommitted).toBeGreaterThan(0);
});
