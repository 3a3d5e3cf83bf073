// OpenID Connect discovery of an accredited IdP, with the transport and metadata the app insists on.
import * as oidc from 'openid-client';
import { IdentityErrorCode as C } from '../../contract/identity.ts';
import { isAllowedTransport } from './directory.ts';
import { identityFailure } from './errors.ts';
import { isNetworkError } from './oidc-errors.ts';
import type { NetworkFetch } from './options.ts';

/** OIDC discovery for an accredited issuer; refuses an IdP that lacks PAR, S256, RFC 9207 or DPoP. */
export async function discoverIdp(issuer: string, clientId: string, custom: NetworkFetch | undefined): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  const loopbackHttp = url.protocol === 'http:' && url.hostname === '127.0.0.1';
  if (!isAllowedTransport(url)) throw identityFailure(C.ISSUER_NOT_ACCREDITED);
  const options: oidc.DiscoveryRequestOptions = { timeout: 15 };
  // Plain http is tolerated only for the sandbox's literal loopback issuers, never for a real IdP.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- deliberate, and only for 127.0.0.1 (the sandbox), as openid-client intends it.
  if (loopbackHttp) options.execute = [oidc.allowInsecureRequests];
  if (custom) options[oidc.customFetch] = (u, init) => custom(u, init as unknown as RequestInit);
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(url, clientId, {
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    }, oidc.None(), options);
  } catch (error) {
    if (isNetworkError(error) || (error instanceof oidc.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM')) {
      throw identityFailure(C.IDP_UNREACHABLE, error);
    }
    throw identityFailure(C.IDP_METADATA_INVALID, error);
  }
  const meta = config.serverMetadata();
  const endpoints = [meta.authorization_endpoint, meta.token_endpoint, meta.pushed_authorization_request_endpoint, meta.jwks_uri];
  if (
    meta.issuer !== issuer
    || endpoints.some((e) => e === undefined || !isAllowedTransport(new URL(e)) || (loopbackHttp && new URL(e).hostname !== '127.0.0.1'))
    || !meta.code_challenge_methods_supported?.includes('S256')
    || meta.authorization_response_iss_parameter_supported !== true
    || !meta.dpop_signing_alg_values_supported?.includes('ES256')
  ) {
    throw identityFailure(C.IDP_METADATA_INVALID);
  }
  // Tokens come straight from the IdP, but the app still verifies the ID token's signature against the IdP's keys.
  oidc.enableNonRepudiationChecks(config);
  return config;
}
