// Strict parsing of mydata-desktop:// links (G5): only a request from a platform the app already knows.
import { AppFailure, DEEP_LINK_SCHEME, RequestDeepLinkSchema, type DeepLink } from '../../contract/index.ts';

const MAX_LINK_LENGTH = 2048;

function rejected(code: string, zh: string, en: string): AppFailure {
  return new AppFailure({
    code,
    message_zh: `無法開啟這個連結：${zh}。請回到服務提供者的網站重新操作，或直接在本程式中選擇服務。`,
    message_en: `This link cannot be opened: ${en}. Go back to the service provider's site and start again, or choose the service in the app.`,
    retryable: false,
  });
}

export const DeepLinkError = {
  malformed: () => rejected('DEEPLINK_MALFORMED', '連結格式不正確', 'the link is malformed'),
  unsupported: () => rejected('DEEPLINK_UNSUPPORTED', '本程式不支援這種連結', 'the app does not handle this kind of link'),
  unknownPlatform: (origin: string) =>
    rejected('DEEPLINK_UNKNOWN_PLATFORM', `連結指向未知的平臺（${origin}）`, `it points to a platform the app does not know (${origin})`),
};

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

/** Canonical origin of a platform URL, or null when it is not a plain https origin (http only on loopback). */
export function platformOrigin(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' && url.pathname !== '') return null;
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url.origin;
  return null;
}

/**
 * Parses a deep link. `knownPlatforms` are origins of the profiles the person has (the sandbox, a real platform).
 * Throws AppFailure with a DEEPLINK_* code on anything but an exact, known request link.
 */
export function parseDeepLink(raw: string, knownPlatforms: readonly string[]): DeepLink {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LINK_LENGTH) throw DeepLinkError.malformed();
  // Control characters and whitespace are never part of a link we issue.
  if (/[\s\p{Cc}]/u.test(raw)) throw DeepLinkError.malformed();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw DeepLinkError.malformed();
  }
  if (url.protocol !== DEEP_LINK_SCHEME) throw DeepLinkError.unsupported();
  if (url.username || url.password || url.port || url.hash) throw DeepLinkError.malformed();
  if (url.hostname !== 'request' || (url.pathname !== '' && url.pathname !== '/')) throw DeepLinkError.unsupported();

  const keys = [...url.searchParams.keys()];
  const allowed = new Set(['platform', 'request_uri']);
  if (keys.length !== 2 || new Set(keys).size !== 2 || !keys.every((k) => allowed.has(k))) throw DeepLinkError.malformed();

  const origin = platformOrigin(url.searchParams.get('platform') ?? '');
  if (!origin) throw DeepLinkError.malformed();
  const known = new Set(knownPlatforms.map((p) => platformOrigin(p)).filter((p): p is string => p !== null));
  if (!known.has(origin)) throw DeepLinkError.unknownPlatform(origin);

  const parsed = RequestDeepLinkSchema.safeParse({ kind: 'request', platform: origin, requestUri: url.searchParams.get('request_uri') });
  if (!parsed.success) throw DeepLinkError.malformed();
  return parsed.data;
}

/** The first argument that looks like one of our links (Windows and Linux pass it in argv). */
export function findDeepLinkArg(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(DEEP_LINK_SCHEME)) ?? null;
}
