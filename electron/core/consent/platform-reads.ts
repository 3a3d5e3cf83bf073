// Consent's unauthenticated platform reads: a service's description and a service provider's request, each checked.
import { ConsentErrorCode as C, type ConsentRequest } from '../../contract/consent.ts';
import { CatalogueServiceSchema, type CatalogueService } from '../../protocol/catalogue.ts';
import { jsonOrNull, PlatformHttp, plainTransport } from '../../protocol/client.ts';
import { PlatformErrorSchema } from '../../protocol/errors.ts';
import { RequestViewSchema, type RequestView } from '../../protocol/requests.ts';
import { consentFailure } from './errors.ts';
import { hostOf, isReturnAllowed } from './rules.ts';

const REQUEST_TIMEOUT_MS = 15_000;

/** Reads `path` from the platform's origin without a session; a network failure is PLATFORM_UNREACHABLE. */
async function getJson(base: string, fetchFn: typeof fetch, path: string): Promise<{ status: number; body: unknown }> {
  const http = new PlatformHttp({ base, transport: plainTransport(fetchFn, REQUEST_TIMEOUT_MS) });
  let response: Response;
  try {
    response = await http.fetch(path);
  } catch (error) {
    throw consentFailure(C.PLATFORM_UNREACHABLE, { cause: error });
  }
  return { status: response.status, body: await jsonOrNull(response) };
}

/** A service's description as the platform gives it now (never the cached catalogue). */
export async function fetchService(base: string, fetchFn: typeof fetch, id: string): Promise<CatalogueService> {
  const { status, body } = await getJson(base, fetchFn, `/services/${encodeURIComponent(id)}`);
  if (status === 404) throw consentFailure(C.UNKNOWN_SERVICE);
  const parsed = CatalogueServiceSchema.safeParse(body);
  if (status !== 200 || !parsed.success) throw consentFailure(C.PLATFORM_REFUSED, { detail: { zh: '服務資料格式不正確', en: 'the service description is malformed' } });
  return parsed.data;
}

/** A service provider's request, checked to be the one asked for and to speak for its own service. */
export async function fetchRequest(base: string, fetchFn: typeof fetch, uri: string): Promise<RequestView> {
  const { status, body } = await getJson(base, fetchFn, `/requests/${encodeURIComponent(uri)}`);
  if (status !== 200) {
    const e = PlatformErrorSchema.safeParse(body);
    throw consentFailure(C.REQUEST_UNAVAILABLE, e.success ? { detail: { zh: e.data.message_zh, en: e.data.message_en } } : {});
  }
  const parsed = RequestViewSchema.safeParse(body);
  if (!parsed.success || parsed.data.request_uri !== uri) throw consentFailure(C.REQUEST_UNAVAILABLE, { detail: { zh: '請求內容格式不正確', en: 'the request is malformed' } });
  // The provider named in the request must be the service's own organisation: a request speaks for its service only.
  if (parsed.data.service_provider.id !== parsed.data.service.organization.id) throw consentFailure(C.REQUEST_MISMATCH);
  return parsed.data;
}

/** What the consent screen shows of a request. */
export function requestOf(view: RequestView): ConsentRequest {
  return {
    requestUri: view.request_uri,
    expiresAt: view.expires_at,
    serviceProvider: view.service_provider,
    purpose: { zh: view.purpose_zh, en: view.purpose_en },
    returnUrl: view.return_url,
    returnHost: hostOf(view.return_url),
    returnAllowed: isReturnAllowed(view.return_url, view.service_provider.origin),
  };
}
