// The security baseline as data and small pure checks: CSP, navigation and external-link allowlists.
// Kept free of 'electron' so every rule here is tested in plain Node.

/** The renderer's Content-Security-Policy: own code only, no inline script or style, no remote content. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
].join('; ');

/** Headers sent with every renderer response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
};

function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

/**
 * Parses a URL meant for the system browser, or null when it may never go there: http(s) only (http only on
 * loopback, where the sandbox platform lives), no credentials (not even an empty '@'), and nothing that parsers disagree on — a backslash,
 * whitespace or a control character in the raw string. Callers check the parsed origin and hand on `href`, never the
 * raw string, so the browser opens exactly what was checked (`http://127.0.0.1:4100\@evil/` is refused here).
 */
export function parseExternalUrl(raw: string): URL | null {
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(raw)) return null;
  // An '@' in the authority is userinfo, even an empty one the parser drops ('https://:@host/').
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return null;
  return url;
}

/** The normalised `href` to open when the URL's exact origin is on the allowlist; otherwise null. */
export function allowedExternalHref(raw: string, allowedOrigins: readonly string[]): string | null {
  const url = parseExternalUrl(raw);
  if (!url || !allowedOrigins.includes(url.origin)) return null;
  return url.href;
}
