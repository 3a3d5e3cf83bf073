// The platform API's response headers the app acts on: Retry-After (429 while a package is prepared), parsed in one place.

/**
 * Milliseconds a Retry-After header asks to wait (RFC 9110 §10.2.3: delta-seconds or an HTTP date), or null when
 * it is absent or unreadable. A date in the past means no wait.
 */
export function parseRetryAfterMs(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** The wait before asking again: what Retry-After says (else `fallbackMs`), kept within [minMs, maxMs]. */
export function retryAfterMs(header: string | null, now: Date, fallbackMs: number, minMs = 200, maxMs = 30_000): number {
  return Math.min(maxMs, Math.max(minMs, parseRetryAfterMs(header, now) ?? fallbackMs));
}
