// What openid-client and oauth4webapi throw, read as the app's identity error codes.
import * as oidc from 'openid-client';
import type { AppFailure } from '../../contract/errors.ts';
import { IdentityErrorCode as C } from '../../contract/identity.ts';
import { identityFailure, isIdentityFailure } from './errors.ts';

/** Walks an error's cause chain for the details oauth4webapi puts there. */
function causes(error: unknown): { codes: string[]; messages: string[]; claims: string[]; body: Record<string, unknown> | undefined } {
  const out = { codes: [] as string[], messages: [] as string[], claims: [] as string[], body: undefined as Record<string, unknown> | undefined };
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e !== undefined && e !== null; depth++) {
    if (typeof e === 'object') {
      const o = e as { code?: unknown; message?: unknown; claim?: unknown; cause?: unknown; error?: unknown };
      if (typeof o.code === 'string') out.codes.push(o.code);
      if (typeof o.message === 'string') out.messages.push(o.message);
      if (typeof o.claim === 'string') out.claims.push(o.claim);
      if (typeof o.error === 'string' && out.body === undefined) out.body = o;
      e = o.cause;
    } else break;
  }
  return out;
}

export function isNetworkError(error: unknown): boolean {
  const { messages, codes } = causes(error);
  return messages.some((m) => /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket hang up|timeout|aborted/i.test(m))
    || codes.some((c) => /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|UND_ERR_|ETIMEDOUT)/.test(c))
    || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

/** Maps what openid-client throws at the token step to the app's codes; the order matters (most specific first). */
export function classifyTokenError(error: unknown): AppFailure {
  if (isIdentityFailure(error)) return error;
  if (error instanceof oidc.ResponseBodyError) {
    // oidc-provider answers every code problem (PKCE, replay, expiry) with invalid_grant and one description;
    // the app detects replays itself, so an invalid_grant for a code it has never presented is the PKCE binding failing.
    return identityFailure(error.error === 'invalid_grant' ? C.PKCE_REJECTED : C.IDP_ERROR, error);
  }
  if (isNetworkError(error)) return identityFailure(C.IDP_UNREACHABLE, error);
  const { codes, messages, claims } = causes(error);
  const text = messages.join(' | ');
  if (/"alg" header parameter|unsupported JWS algorithm/.test(text)) return identityFailure(C.ID_TOKEN_UNSIGNED, error);
  if (/signature verification failed/.test(text) || codes.includes('OAUTH_KEY_SELECTION_FAILED')) return identityFailure(C.ID_TOKEN_BAD_SIGNATURE, error);
  if (claims.includes('nonce') || /"nonce"/.test(text)) return identityFailure(C.NONCE_MISMATCH, error);
  if (claims.includes('exp') || /expiration is past/.test(text)) return identityFailure(C.ID_TOKEN_EXPIRED, error);
  if (claims.includes('auth_time') || /since the last End-User authentication/.test(text)) return identityFailure(C.AUTH_TOO_OLD, error);
  if (/"state"/.test(text)) return identityFailure(C.STATE_MISMATCH, error);
  if (/"iss" \(issuer\) response parameter/.test(text)) return identityFailure(C.ISSUER_MISMATCH, error);
  return identityFailure(C.ID_TOKEN_INVALID, error);
}
