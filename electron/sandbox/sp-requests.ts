// The sandbox platform's service-provider requests (G5): signed request objects checked, kept and looked up.
import { randomBytes } from 'node:crypto';
import { importJWK, jwtVerify, type JWK } from 'jose';
import { z } from 'zod';
import { RequestObjectClaimsSchema, RequestRegistrationSchema, type RequestRegistered } from '../protocol/requests.ts';
import type { Service } from './data.ts';
import { HttpError } from './http.ts';

const REQUEST_LIFETIME_S = 600;

export interface RegisteredServiceProvider {
  serviceId: string;
  origin: string;
  publicKey: JWK;
}

export interface StoredRequest {
  uri: string;
  service: Service;
  provider: RegisteredServiceProvider;
  returnUrl: string;
  callbackUrl: string;
  state: string | null;
  expiresAt: number;
  usedBy?: string;
}

interface RequestRegistryOptions {
  origin: string;
  serviceProviders: readonly RegisteredServiceProvider[];
  clock: () => number;
  /** The platform's service by id (its unknown-service error when there is none). */
  service: (id: string) => Service;
}

export class RequestRegistry {
  readonly #o: RequestRegistryOptions;
  readonly #requests = new Map<string, StoredRequest>();
  readonly #requestJtis = new Set<string>();

  constructor(options: RequestRegistryOptions) {
    this.#o = options;
  }

  /** Checks a service provider's signed request object and keeps it; answers what the provider is told. */
  async register(body: unknown): Promise<RequestRegistered> {
    const jwt = RequestRegistrationSchema.safeParse(body).data?.request;
    if (!jwt) throw new HttpError(400, 'REQUEST_INVALID', '缺少已簽章的請求物件。', 'The signed request object is missing.');
    let claimsIss: string | undefined;
    try {
      claimsIss = (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string }).iss;
    } catch {
      throw new HttpError(400, 'REQUEST_INVALID', '請求物件格式錯誤。', 'The request object is malformed.');
    }
    const sp = this.#o.serviceProviders.find((p) => p.serviceId === claimsIss);
    if (!sp) throw new HttpError(401, 'REQUEST_UNKNOWN_CLIENT', '平臺不認得這個服務提供者。', 'The platform does not know this service provider.');
    const nowS = Math.floor(this.#o.clock() / 1000);
    let payload: z.infer<typeof RequestObjectClaimsSchema>;
    try {
      const key = await importJWK(sp.publicKey, 'ES256');
      const verified = await jwtVerify(jwt, key, { typ: 'oauth-authz-req+jwt', algorithms: ['ES256'], issuer: sp.serviceId, currentDate: new Date(nowS * 1000), requiredClaims: ['exp', 'iat', 'jti'] });
      payload = RequestObjectClaimsSchema.parse(verified.payload);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') throw new HttpError(400, 'REQUEST_EXPIRED', '請求物件已過期。', 'The request object has expired.');
      if (error instanceof z.ZodError) throw new HttpError(400, 'REQUEST_INVALID', '請求物件缺少必要內容。', 'The request object lacks required claims.');
      throw new HttpError(400, 'REQUEST_SIGNATURE_INVALID', '請求物件的簽章無效。', 'The request object signature is not valid.');
    }
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes(this.#o.origin)) throw new HttpError(400, 'REQUEST_AUDIENCE', '請求物件不是發給本平臺的。', 'The request object is meant for another platform.');
    if (payload.exp - payload.iat > REQUEST_LIFETIME_S) throw new HttpError(400, 'REQUEST_INVALID', `請求物件有效期不得超過 ${REQUEST_LIFETIME_S} 秒。`, `A request object may live at most ${REQUEST_LIFETIME_S} seconds.`);
    if (this.#requestJtis.has(payload.jti)) throw new HttpError(400, 'REQUEST_REPLAYED', '請求物件已使用過。', 'The request object was already used.');
    if (payload.service_id !== sp.serviceId) throw new HttpError(403, 'REQUEST_SERVICE_MISMATCH', '服務提供者只能為自己的服務提出請求。', 'A service provider may only ask for its own service.');
    for (const u of [payload.return_url, payload.callback_url]) {
      if (new URL(u).origin !== sp.origin) throw new HttpError(400, 'REQUEST_URL_NOT_REGISTERED', '返回或回呼網址不在服務提供者登記的網域。', 'The return or callback URL is not on the provider\'s registered domain.');
    }
    const service = this.#o.service(sp.serviceId);
    if (service.status === 'suspended' || service.status === 'terminated') {
      throw new HttpError(409, 'SERVICE_NOT_AVAILABLE', `「${service.name_zh}」目前無法使用。`, `"${service.name_en}" is not available.`, { service: service.id, status: service.status });
    }
    this.#requestJtis.add(payload.jti);
    const uri = `urn:mydata:request:${randomBytes(18).toString('base64url')}`;
    this.#requests.set(uri, { uri, service, provider: sp, returnUrl: payload.return_url, callbackUrl: payload.callback_url, state: payload.state ?? null, expiresAt: (nowS + REQUEST_LIFETIME_S) * 1000 });
    return { request_uri: uri, expires_in: REQUEST_LIFETIME_S };
  }

  /** A request still open: known, not answered yet and not expired. */
  live(uri: string): StoredRequest {
    const request = this.#requests.get(uri);
    if (!request) throw new HttpError(404, 'UNKNOWN_REQUEST', '找不到這個服務提供者請求。', 'No such service-provider request.');
    if (request.usedBy) throw new HttpError(409, 'REQUEST_USED', '這個請求已經回覆過。', 'This request has already been answered.');
    if (this.#o.clock() >= request.expiresAt) throw new HttpError(410, 'REQUEST_EXPIRED', '這個請求已過期，請回到服務提供者重新申請。', 'This request has expired. Start again at the service provider.');
    return request;
  }
}
