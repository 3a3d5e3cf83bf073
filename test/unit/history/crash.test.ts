// Crash safety (G14, §9): a child appending in a loop is SIGKILLed at random points; every acknowledged record survives,
// the mark never reads as a rollback, and no temporary file is left. (The bench runs the same harness hundreds of times.)
// SIGKILL models a process crash (the kernel keeps what was written); power loss is what the synchronous writes cover.
import { describe, expect, it } from 'vitest';
import { checkAfterKill, runAndKill } from './crash-harness.ts';
import { tempDir } from './fixtures.ts';

describe('history crash safety', () => {
  it('keeps every acknowledged record across SIGKILLs at random points, and the chain and its mark verify', async () => {
    const root = tempDir();
    /** Every record the log held after the previous round, plus this round's acknowledgements. */
    let acknowledged: string[] = [];
    for (let round = 0; round < 8; round++) {
      const acks = await runAndKill(root, 5 + Math.floor(Math.random() * 20), Math.floor(Math.random() * 60));
      const outcome = await checkAfterKill(root, [...acknowledged, ...acks]);
      expect(outcome.lost).toBe(0);
      expect(outcome.problems).toEqual([]);
      expect(outcome.unacknowledged).toBeLessThanOrEqual(1);
      acknowledged = outcome.ids;
    }
    expect(acknowledged.length).toBeGreaterThan(40);
  }, 120_000);
});
