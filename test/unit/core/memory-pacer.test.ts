// The memory pacer (core/memory-pacer.ts): collects every `every` bytes (PACE_BYTES by default) of a running total, follows a total that starts
// again, and gets the engine's collector without --expose-gc and without leaving a `gc` global behind.
import { describe, expect, it } from 'vitest';
import { memoryPacer, PACE_BYTES, youngCollector } from '../../../electron/core/memory-pacer.ts';

const MIB = 1024 * 1024;

describe('memoryPacer', () => {
  it('collects once per `every` bytes of progress, in young-generation mode, whatever the chunk sizes', () => {
    const calls: unknown[] = [];
    const pace = memoryPacer(8 * MIB, (options) => calls.push(options));
    let total = 0;
    for (const chunk of [65536, 3 * MIB, 5 * MIB, 1, 7 * MIB, 20 * MIB, 100]) {
      total += chunk;
      pace(total);
    }
    // 0 → 8.06 MiB (collect), → 15.06 (no: 7 since), → 35.06 (collect), → 35.06+100 B (no).
    expect(calls).toEqual([
      { type: 'minor', execution: 'sync' },
      { type: 'minor', execution: 'sync' },
    ]);
  });

  it('paces every few MiB by default', () => {
    expect(PACE_BYTES).toBeGreaterThanOrEqual(MIB);
    expect(PACE_BYTES).toBeLessThanOrEqual(16 * MIB);
  });

  it('starts counting again when the total does (a restarted download, then the vault phase)', () => {
    let calls = 0;
    const pace = memoryPacer(4 * MIB, () => calls++);
    pace(3 * MIB);
    pace(1 * MIB); // restarted
    pace(4 * MIB); // only 3 MiB since the restart
    expect(calls).toBe(0);
    pace(5 * MIB);
    expect(calls).toBe(1);
  });

  it('does nothing without a collector', () => {
    const pace = memoryPacer(1, null);
    expect(() => {
      pace(10);
      pace(20);
    }).not.toThrow();
  });
});

describe('youngCollector', () => {
  it('finds the engine collector in a process started without --expose-gc, and no gc global appears', () => {
    const before = typeof (globalThis as { gc?: unknown }).gc;
    // The premise of the title: vitest's workers, like the app, start without --expose-gc.
    expect(before).toBe('undefined');
    expect(process.execArgv.some((a) => a.includes('expose-gc') || a.includes('expose_gc'))).toBe(false);
    const collect = youngCollector();
    expect(typeof collect).toBe('function');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe(before);
    expect(() => collect?.({ type: 'minor', execution: 'sync' })).not.toThrow();
    // Cached: the flag is switched once.
    expect(youngCollector()).toBe(collect);
  });
});
