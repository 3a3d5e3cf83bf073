// The download spool under SIGKILL (the small version of the bench's reliability.spool_kills_lost): a child writing a
// download into the spool is killed at random points; each time a clean open takes up every acknowledged byte, never
// a torn one, and nothing but the spool is left in its folder.
import { describe, expect, it } from 'vitest';
import { runSpoolKills } from '../../support/spool-kill.ts';

describe('spool crash safety', () => {
  it('keeps every acknowledged byte across SIGKILLs at random points and accepts no torn data', async () => {
    const report = await runSpoolKills(6, { generationBytes: 4 * 1024 * 1024 });
    expect(report.kills).toBe(6);
    expect(report.failedOpens).toBe(0);
    expect(report.tornAccepted).toBe(0);
    expect(report.strayFiles).toBe(0);
    expect(report.lostBytes).toBe(0);
    // What a resume fetches again: at most the batch gathered plus the one write in flight.
    expect(report.maxRefetchBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(report.acknowledgedBytes).toBeGreaterThan(0);
  }, 120_000);
});
