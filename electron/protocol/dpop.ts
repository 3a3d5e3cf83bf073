// The DPoP-bound transport (RFC 9449): each request carries `Authorization: DPoP <token>` and a fresh proof bound to its method, URL and token.
import * as oidc from 'openid-client';
import type { PlatformTransport } from './client.ts';

export interface DpopCredentials {
  config: oidc.Configuration;
  accessToken: string;
  dpop: oidc.DPoPHandle;
}

/** openid-client signs the proof and retries once with the server's DPoP nonce when asked to. */
export function dpopTransport(credentials: DpopCredentials): PlatformTransport {
  // openid-client takes no AbortSignal here: a caller stops a transfer by cancelling the answer's body.
  return async (url, method, headers, body) => {
    try {
      return await oidc.fetchProtectedResource(credentials.config, credentials.accessToken, url, method, body, headers, { DPoP: credentials.dpop });
    } catch (error) {
      // A 401/403 with a challenge is still the platform's answer: hand it back for the caller to read its AppError body.
      if (error instanceof oidc.WWWAuthenticateChallengeError) return error.response;
      throw error;
    }
  };
}
