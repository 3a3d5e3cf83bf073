// Checks an address the person entered for the "another platform" profile: https (loopback http only in development),
// reachable, and serving MyData platform metadata the app can use, each failure with its own named error.
import { AppFailure, PlatformMetadataSchema, type PlatformMetadata } from '../../contract/index.ts';
import { METADATA_PATH } from '../platform/catalogue.ts';

const TIMEOUT_MS = 10_000;
/** Platform metadata is a few kilobytes; anything far larger is not what we asked for. */
const MAX_METADATA_BYTES = 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const PlatformUrlError = {
  invalid: () =>
    new AppFailure({
      code: 'PLATFORM_URL_INVALID',
      message_zh: '這不是有效的網址。請輸入完整的平臺網址，例如 https://mydata.example.tw。',
      message_en: 'This is not a valid address. Enter the platform’s full address, for example https://mydata.example.tw.',
      retryable: false,
    }),
  notHttps: () =>
    new AppFailure({
      code: 'PLATFORM_URL_NOT_HTTPS',
      message_zh: '平臺網址必須以 https:// 開頭，以加密連線保護您的資料。請改用平臺的 https 網址。',
      message_en: 'The platform address must start with https:// so the connection protecting your data is encrypted. Use the platform’s https address.',
      retryable: false,
    }),
  credentials: () =>
    new AppFailure({
      code: 'PLATFORM_URL_CREDENTIALS',
      message_zh: '平臺網址不可包含帳號或密碼。請移除 @ 之前的部分後再試。',
      message_en: 'The platform address must not contain a user name or password. Remove the part before @ and try again.',
      retryable: false,
    }),
  unreachable: (cause?: unknown) =>
    new AppFailure(
      {
        code: 'PLATFORM_URL_UNREACHABLE',
        message_zh: '無法連線到這個網址。請確認網址拼寫正確、網路已連線，然後再試一次。',
        message_en: 'This address cannot be reached. Check that it is spelled correctly and that you are online, then try again.',
        retryable: true,
      },
      { cause },
    ),
  notMyData: (detail: string) =>
    new AppFailure({
      code: 'PLATFORM_URL_NOT_MYDATA',
      message_zh: `這個網址沒有提供 MyData 平臺資訊（${detail}），因此不是本應用程式可使用的平臺。請向平臺營運者確認正確網址。`,
      message_en: `This address does not publish MyData platform information (${detail}), so it is not a platform this app can use. Ask the platform’s operator for the right address.`,
      retryable: false,
    }),
  badMetadata: (detail: string) =>
    new AppFailure({
      code: 'PLATFORM_URL_BAD_METADATA',
      message_zh: `這個平臺的資訊不完整或格式不正確（${detail}），為保護您的資料而不予使用。請聯絡平臺營運者。`,
      message_en: `This platform’s information is incomplete or malformed (${detail}), so it is not used, to protect your data. Contact the platform’s operator.`,
      retryable: false,
    }),
};

export interface PlatformCheckOptions {
  /** Development builds accept http on a loopback address (a local sandbox); packaged builds never do. */
  allowLoopbackHttp: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface CheckedPlatform {
  /** The platform's origin, the form the app stores and connects to. */
  origin: string;
  name: PlatformMetadata['name'];
}

/** The address as the app will store it, or the reason it cannot be one (no network involved). */
export function platformOrigin(raw: string, allowLoopbackHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw PlatformUrlError.invalid();
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw PlatformUrlError.notHttps();
  if (url.username !== '' || url.password !== '') throw PlatformUrlError.credentials();
  if (url.protocol === 'http:' && !(allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))) throw PlatformUrlError.notHttps();
  return url.origin;
}

export async function checkPlatformUrl(raw: string, options: PlatformCheckOptions): Promise<CheckedPlatform> {
  const origin = platformOrigin(raw, options.allowLoopbackHttp);
  const fetchImpl = options.fetch ?? fetch;
  let response: Response;
  try {
    // No redirects: the metadata must come from the address the person entered, not from wherever it points.
    response = await fetchImpl(`${origin}${METADATA_PATH}`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
    });
  } catch (error) {
    throw PlatformUrlError.unreachable(error);
  }
  if (response.status >= 300 && response.status < 400) throw PlatformUrlError.notMyData(`HTTP ${response.status} redirect`);
  if (response.status >= 500) throw PlatformUrlError.unreachable(new Error(`HTTP ${response.status}`));
  if (!response.ok) throw PlatformUrlError.notMyData(`HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]+\+)?json\b/i.test(type)) throw PlatformUrlError.notMyData(type === '' ? 'no content type' : type.split(';')[0] ?? type);
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (error) {
    throw PlatformUrlError.unreachable(error);
  }
  if (body.byteLength > MAX_METADATA_BYTES) throw PlatformUrlError.badMetadata(`${body.byteLength} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw PlatformUrlError.badMetadata('not UTF-8 text');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw PlatformUrlError.badMetadata('not JSON');
  }
  const parsed = PlatformMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw PlatformUrlError.badMetadata(first ? `${first.path.join('.') || 'document'}: ${first.code}` : 'schema');
  }
  // The app sends every platform call to the origin it stores; metadata naming another API origin cannot be followed.
  if (new URL(parsed.data.api_base).origin !== origin) throw PlatformUrlError.badMetadata('api_base is on another origin');
  return { origin, name: parsed.data.name };
}
