// The sandbox platform's public descriptions: its metadata, and organisations and services as the catalogue serves them.
import type { CatalogueService, Organization as WireOrganization, PlatformMetadata } from '../protocol/catalogue.ts';
import type { Organization, SandboxWorld, Service } from './data.ts';
import { DATASET_SCOPE_PREFIX, NATIVE_CLIENT_ID, type IdpProfile } from './idp.ts';
import { providerSignerIdentity, type SandboxKeys } from './keys.ts';
import { AUTH_METHODS } from './methods.ts';

/** How long a ready package may be downloaded (and a permission ticket used). */
export const PACKAGE_LIFETIME_MS = 8 * 3600_000;

function org(world: SandboxWorld, id: string): Organization {
  const found = world.organizations.find((o) => o.id === id);
  if (!found) throw new Error(`unknown organisation ${id}`);
  return found;
}

/** An organisation as the catalogue serves it; a data provider with the signer identity its packages carry (G4, G9). */
export function organizationView(o: Organization): WireOrganization {
  return o.roles.includes('data-provider') ? { ...o, signers: [providerSignerIdentity(o.id, o.name_zh)] } : { ...o };
}

/** A service as the catalogue serves it, its organisations resolved in the world. */
export function serviceView(world: SandboxWorld, s: Service): CatalogueService {
  return {
    id: s.id,
    kind: s.kind,
    name_zh: s.name_zh,
    name_en: s.name_en,
    status: s.status,
    subject_type: s.subject_type,
    purpose_zh: s.purpose_zh,
    purpose_en: s.purpose_en,
    retention_zh: s.retention_zh ?? null,
    retention_en: s.retention_en ?? null,
    organization: organizationView(org(world, s.organization)),
    terms: s.terms,
    level_required: s.level_required,
    datasets: s.datasets.map((d) => ({ ...d, provider: organizationView(org(world, d.provider)) })),
  };
}


/** The platform's self-description at /.well-known/mydata-platform. */
export function platformMetadata(options: { origin: string; keys: Pick<SandboxKeys, 'caPem'>; idps: readonly { profile: IdpProfile; issuer: string }[] }): PlatformMetadata {
  const { origin } = options;
  return {
    name: { zh: 'MyData 沙盒平臺', en: 'MyData Sandbox Platform' },
    api_base: origin,
    openapi: `${origin}/openapi.json`,
    jwks_uri: `${origin}/jwks`,
    trust_anchors: [options.keys.caPem],
    dataset_scope_prefix: DATASET_SCOPE_PREFIX,
    assurance_levels: AUTH_METHODS.map((m) => ({ method: m.id, level: m.level, name_zh: m.name_zh, name_en: m.name_en, subject_type: m.subject_type })),
    identity_providers: options.idps.map(({ profile, issuer }) => ({
      issuer,
      name_zh: profile.name_zh,
      name_en: profile.name_en,
      client_id: NATIVE_CLIENT_ID,
      methods: profile.methods,
      subject_types: [...new Set(profile.methods.flatMap((m) => AUTH_METHODS.find((x) => x.id === m)?.subject_type ?? []))],
    })),
    package_lifetime_seconds: PACKAGE_LIFETIME_MS / 1000,
  };
}
