// Retry-After is read in one place: seconds or an HTTP date, absent or unreadable as null, and the wait clamped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, retryAfterMs } from '../../../electron/protocol/headers.ts';

describe('Retry-After', () => {
  it('honours Retry-After (seconds or date), clamped', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    expect(retryAfterMs('3', now, 1000)).toBe(3000);
    expect(retryAfterMs('Fri, 27 Nov 2026 00:00:05 GMT', now, 1000)).toBe(5000);
    expect(retryAfterMs('9999', now, 1000)).toBe(30_000);
    expect(retryAfterMs(null, now, 1000)).toBe(1000);
    expect(retryAfterMs('0', now, 1000)).toBe(200);
    expect(retryAfterMs('soon', now, 700)).toBe(700);
  });

  it('reads delta-seconds and HTTP dates as milliseconds; a past date is no wait; anything else is null', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    expect(parseRetryAfterMs(' 12 ', now)).toBe(12_000);
    expect(parseRetryAfterMs('Fri, 27 Nov 2026 00:00:01 GMT', now)).toBe(1000);
    expect(parseRetryAfterMs('Thu, 26 Nov 2026 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs('', now)).toBeNull();
  });

  it('never waits less than the floor nor more than the ceiling, whatever the header says', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), fc.integer({ min: 0, max: 60_000 }), (header, fallback) => {
        const ms = retryAfterMs(header, now, fallback);
        expect(ms).toBeGreaterThanOrEqual(200);
        expect(ms).toBeLessThanOrEqual(30_000);
      }),
    );
  });
});
