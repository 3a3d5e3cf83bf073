// The only holder of a verification's DPoP-bound access token and key: makes DPoP-authenticated requests to the platform API, nowhere else.
import * as oidc from 'openid-client';
import { IdentityErrorCode as C } from '../../contract/identity.ts';
import type { Clock } from '../ports.ts';
import { identityFailure } from './errors.ts';

export interface PlatformGrant {
  config: oidc.Configuration;
  accessToken: string;
  dpop: oidc.DPoPHandle;
  expiresAt: Date;
  apiBase: string;
  clock: Clock;
}

export interface PlatformRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** JSON-serialised when given. */
  json?: unknown;
  headers?: Record<string, string>;
}

/**
 * Requests carry `Authorization: DPoP <token>` and a fresh proof bound to method, URL and token (RFC 9449).
 * The token never leaves this object: it has no getter, is not enumerable, and is dropped on sign-out.
 */
export class PlatformClient {
  #grant: PlatformGrant | undefined;
  readonly #apiBase: URL;

  constructor(grant: PlatformGrant) {
    this.#grant = grant;
    this.#apiBase = new URL(grant.apiBase.endsWith('/') ? grant.apiBase : `${grant.apiBase}/`);
  }

  get expiresAt(): Date | undefined {
    return this.#grant?.expiresAt;
  }

  /** After sign-out or replacement by a step-up, every request refuses with IDENTITY_NO_SESSION. */
  revoke(): void {
    this.#grant = undefined;
  }

  /** `path` is relative to the platform's api_base (`transactions/abc`) or an absolute URL under it. */
  async fetch(path: string, request: PlatformRequest = {}): Promise<Response> {
    const grant = this.#grant;
    if (!grant) throw identityFailure(C.NO_SESSION);
    if (grant.expiresAt.getTime() <= grant.clock.now().getTime()) throw identityFailure(C.SESSION_EXPIRED);
    const url = new URL(path.replace(/^\//, ''), this.#apiBase);
    // The token is for the platform's API and nothing else: no other origin, no path outside api_base.
    if (url.origin !== this.#apiBase.origin || !url.pathname.startsWith(this.#apiBase.pathname)) throw identityFailure(C.PLATFORM_ORIGIN_REFUSED);
    const headers = new Headers(request.headers);
    headers.set('accept', headers.get('accept') ?? 'application/json');
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers.set('content-type', 'application/json');
    }
    try {
      return await oidc.fetchProtectedResource(grant.config, grant.accessToken, url, request.method ?? 'GET', body, headers, { DPoP: grant.dpop });
    } catch (error) {
      // A 401/403 with a challenge is still the platform's answer: hand it back for the caller to read its AppError body.
      if (error instanceof oidc.WWWAuthenticateChallengeError) return error.response;
      throw error;
    }
  }

  toJSON(): Record<string, never> {
    return {};
  }
}
