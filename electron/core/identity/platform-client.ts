// The only holder of a verification's DPoP-bound access token and key: makes DPoP-authenticated requests to the platform API, nowhere else.
import type * as oidc from 'openid-client';
import { IdentityErrorCode as C } from '../../contract/identity.ts';
import { PlatformHttp, type PlatformFetcher, type PlatformRequest } from '../../protocol/client.ts';
import { dpopTransport } from '../../protocol/dpop.ts';
import type { Clock } from '../ports.ts';
import { identityFailure } from './errors.ts';

export type { PlatformRequest } from '../../protocol/client.ts';

export interface PlatformGrant {
  config: oidc.Configuration;
  accessToken: string;
  dpop: oidc.DPoPHandle;
  expiresAt: Date;
  apiBase: string;
  clock: Clock;
}

/**
 * Requests go through the protocol's client over a DPoP transport: `Authorization: DPoP <token>` and a fresh proof
 * bound to method, URL and token (RFC 9449). The token never leaves this object: it has no getter, is not
 * enumerable, and is dropped on sign-out.
 */
export class PlatformClient implements PlatformFetcher {
  #grant: { expiresAt: Date; clock: Clock; http: PlatformHttp } | undefined;

  constructor(grant: PlatformGrant) {
    this.#grant = {
      expiresAt: grant.expiresAt,
      clock: grant.clock,
      // The token is for the platform's API and nothing else: no other origin, no path outside api_base.
      http: new PlatformHttp({ base: grant.apiBase, transport: dpopTransport(grant), outside: () => identityFailure(C.PLATFORM_ORIGIN_REFUSED) }),
    };
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
    return grant.http.fetch(path, request);
  }

  toJSON(): Record<string, never> {
    return {};
  }
}
