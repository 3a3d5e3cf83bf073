// The accredited identity providers, learned from the platform's metadata (G3, ARCHITECTURE §5): the only issuers the app trusts.
import { z } from 'zod';
import { IdentityErrorCode, IdentityProviderSchema, type IdentityProvider } from '../../contract/identity.ts';
import { PlatformMetadataSchema as WireMetadataSchema } from '../../protocol/catalogue.ts';
import { PlatformHttp, plainTransport } from '../../protocol/client.ts';
import { identityFailure } from './errors.ts';

export const PLATFORM_METADATA_PATH = '/.well-known/mydata-platform';

const PlatformMetadataSchema = WireMetadataSchema.pick({ api_base: true }).extend({
  // Accepted loosely here, then each provider is checked on its own so one bad entry does not hide the others.
  identity_providers: z.array(z.unknown()),
}).loose();

export interface AccreditedDirectory {
  platformOrigin: string;
  apiBase: string;
  /** The audience access tokens must name (sent as the RFC 8707 `resource`): the metadata's `audience`, else api_base. */
  audience: string;
  /** The platform's scope naming, one scope per dataset (`dataset:` unless the metadata says otherwise). */
  datasetScopePrefix: string;
  providers: readonly IdentityProvider[];
  /** The client id each IdP registered for the app, when the metadata names one. */
  clientIds: ReadonlyMap<string, string>;
}

/** http is acceptable only for the literal loopback address (the sandbox); everything else must be https. */
export function isAllowedTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1');
}

/** Issuers compare as exact strings (OIDC Discovery §4.3): no normalising a trailing slash into a match. */
export function findAccredited(directory: AccreditedDirectory, issuer: string): IdentityProvider {
  const provider = directory.providers.find((p) => p.issuer === issuer);
  if (!provider) throw identityFailure(IdentityErrorCode.ISSUER_NOT_ACCREDITED);
  return provider;
}

export async function loadDirectory(platformUrl: string, fetchImpl: typeof fetch = fetch): Promise<AccreditedDirectory> {
  const base = new URL(platformUrl);
  if (!isAllowedTransport(base)) throw identityFailure(IdentityErrorCode.PLATFORM_METADATA_INVALID);
  let body: unknown;
  try {
    const http = new PlatformHttp({ base: base.origin, transport: plainTransport(fetchImpl, 15_000) });
    const response = await http.fetch(PLATFORM_METADATA_PATH);
    if (!response.ok) throw identityFailure(IdentityErrorCode.PLATFORM_UNREACHABLE, new Error(`HTTP ${response.status}`));
    body = await response.json();
  } catch (error) {
    if (error instanceof Error && error.name === 'AppFailure') throw error;
    if (error instanceof SyntaxError) throw identityFailure(IdentityErrorCode.PLATFORM_METADATA_INVALID, error);
    throw identityFailure(IdentityErrorCode.PLATFORM_UNREACHABLE, error);
  }
  const parsed = PlatformMetadataSchema.safeParse(body);
  if (!parsed.success) throw identityFailure(IdentityErrorCode.PLATFORM_METADATA_INVALID, parsed.error);
  const providers: IdentityProvider[] = [];
  const clientIds = new Map<string, string>();
  for (const entry of parsed.data.identity_providers) {
    const provider = IdentityProviderSchema.safeParse(entry);
    // An entry the app cannot understand (unknown method id, bad URL) is not trusted: it is left out, not guessed at.
    if (!provider.success || !isAllowedTransport(new URL(provider.data.issuer))) continue;
    providers.push(provider.data);
    const clientId = (entry as { client_id?: unknown }).client_id;
    if (typeof clientId === 'string' && clientId !== '') clientIds.set(provider.data.issuer, clientId);
  }
  const { audience, dataset_scope_prefix: prefix } = parsed.data;
  return {
    platformOrigin: base.origin,
    apiBase: parsed.data.api_base,
    audience: typeof audience === 'string' ? audience : parsed.data.api_base,
    datasetScopePrefix: typeof prefix === 'string' && /^[a-z][a-z0-9._:-]*$/i.test(prefix) ? prefix : 'dataset:',
    providers,
    clientIds,
  };
}
