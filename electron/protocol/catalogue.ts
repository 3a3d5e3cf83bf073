// The platform API's directory messages (ARCHITECTURE §5): metadata, registry (G6), catalogue (G7, G8, G10, G11) and notices (G13).
import { z } from 'zod';
import { ORGANIZATION_CATEGORIES, SERVICE_KINDS, SERVICE_STATUSES, SUBJECT_TYPES } from '../common/enums.ts';

/** Who a service is for: a person, or a company represented by its representative. */
export const PlatformSubjectTypeSchema = z.enum(SUBJECT_TYPES);

/** Interconnection status of one service (G7 lifecycle; G16 termination). */
export const ServiceStatusSchema = z.enum(SERVICE_STATUSES);
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const NoticeKindSchema = z.enum(['change', 'suspension', 'termination', 'maintenance']);
export type NoticeKind = z.infer<typeof NoticeKindSchema>;

/**
 * An instant with an explicit offset ('Z' or '+08:00'). Offset-less timestamps are refused because
 * they would be read in whatever time zone the machine happens to be in.
 */
export const InstantSchema = z.iso.datetime({ offset: true });

/** Announcement text: Traditional Chinese always; English when the publisher gives one. */
export const NoticeTextSchema = z.object({
  zh: z.string().min(1),
  en: z.string().min(1).optional(),
});

const NoticeBase = z.object({
  id: z.string().min(1),
  kind: NoticeKindSchema,
  announced_at: InstantSchema,
  effective_from: InstantSchema,
  /** End of the window, exclusive; null or absent = open-ended (always so in effect for terminations). */
  effective_until: InstantSchema.nullable().optional(),
  /** The publisher declared an emergency, which exempts the notice from the 7-working-day rule (G13). */
  urgent: z.boolean(),
  text: NoticeTextSchema,
});

/** GET /notices item (ARCHITECTURE §5). The scope says what the notice is about and names its target. */
export const NoticeSchema = z
  .discriminatedUnion('scope', [
    NoticeBase.extend({ scope: z.literal('platform') }),
    NoticeBase.extend({ scope: z.literal('organisation'), organisation_id: z.string().min(1) }),
    NoticeBase.extend({
      scope: z.literal('service'),
      service_id: z.string().min(1),
      organisation_id: z.string().min(1).optional(),
    }),
  ])
  .refine((n) => n.effective_until == null || Date.parse(n.effective_until) > Date.parse(n.effective_from), {
    error: 'effective_until must be after effective_from',
    path: ['effective_until'],
  });
export type Notice = z.infer<typeof NoticeSchema>;


/** The six categories of organisation that may interconnect (G6). */
export const OrganizationCategorySchema = z.enum(ORGANIZATION_CATEGORIES);

/**
 * One accepted signer of a provider's packages: `sha256:<hex of the certificate DER>`, `DN=<the full subject, RFC 4514
 * order: most specific first>` or `O=<exact subject organizationName>` (only for an organisation with its own O:
 * GCA issues O=行政院 to many agencies, so real bindings use the full subject or the hash).
 */
export const SignerIdentitySchema = z.string().max(2000).regex(/^(sha256:[0-9a-fA-F]{64}|DN=.+|O=.+)$/s, 'sha256:<hex>, DN=<subject> or O=<organisation>');
export type SignerIdentity = z.infer<typeof SignerIdentitySchema>;

/** GET /organizations item: the registry (G6), with the organisation's standing (G16). */
export const OrganizationSchema = z.object({
  id: z.string().min(1),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  category: OrganizationCategorySchema,
  approving_authority_zh: z.string().min(1),
  approving_authority_en: z.string().min(1),
  roles: z.array(z.enum(['data-provider', 'service-provider'])).min(1),
  status: z.enum(['active', 'suspended', 'terminated']),
  terminated_at: z.string().optional(),
  termination_reason_zh: z.string().optional(),
  termination_reason_en: z.string().optional(),
  /** A data provider's signer identities (G4, G9): only these may sign the datasets it holds. */
  signers: z.array(SignerIdentitySchema).optional(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

/** One requested field: required or optional, with its stated purpose (null = none stated, flagged under G10). */
export const ServiceFieldSchema = z.object({
  name: z.string().min(1),
  label_zh: z.string().min(1),
  label_en: z.string().min(1),
  required: z.boolean(),
  purpose_zh: z.string().nullable(),
  purpose_en: z.string().nullable(),
});
export type ServiceField = z.infer<typeof ServiceFieldSchema>;

export const ServiceDatasetSchema = z.object({
  id: z.string().min(1),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  /** The level the data provider requires (G8); lower is stronger. */
  level_required: z.number().min(0).max(4),
  provider: OrganizationSchema,
  fields: z.array(ServiceFieldSchema).min(1),
});
export type ServiceDataset = z.infer<typeof ServiceDatasetSchema>;

export const TermsSchema = z.object({
  version: z.string().min(1),
  text: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** GET /services item: the catalogue (G7, G8, G10, G11). */
export const CatalogueServiceSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(SERVICE_KINDS),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  status: ServiceStatusSchema,
  subject_type: PlatformSubjectTypeSchema,
  purpose_zh: z.string().min(1),
  purpose_en: z.string().min(1),
  retention_zh: z.string().nullable(),
  retention_en: z.string().nullable(),
  organization: OrganizationSchema,
  terms: TermsSchema,
  level_required: z.number().min(0).max(4),
  datasets: z.array(ServiceDatasetSchema).min(1),
});
export type CatalogueService = z.infer<typeof CatalogueServiceSchema>;

/** An accredited identity provider the platform accepts tokens from (G2, G3). */
export const PlatformIdentityProviderSchema = z.object({
  issuer: z.url(),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  /** The client id a native app uses at this provider, when the platform publishes one. */
  client_id: z.string().min(1).optional(),
  methods: z.array(z.string().min(1)),
  subject_types: z.array(PlatformSubjectTypeSchema),
});

/** One verification method and its level (G8; lower is stronger). */
export const PlatformAssuranceLevelSchema = z.object({
  method: z.string().min(1),
  level: z.number().min(0).max(4),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  subject_type: PlatformSubjectTypeSchema,
});

/** GET /.well-known/mydata-platform. The members after `identity_providers` are informative: a platform may leave them out. */
export const PlatformMetadataSchema = z.object({
  name: z.object({ zh: z.string().min(1), en: z.string().min(1) }),
  api_base: z.url(),
  jwks_uri: z.url(),
  trust_anchors: z.array(z.string().includes('BEGIN CERTIFICATE')).min(1),
  identity_providers: z.array(PlatformIdentityProviderSchema).min(1),
  /** The audience access tokens must name (RFC 8707 `resource`) when it is not api_base. */
  audience: z.string().optional(),
  openapi: z.url().optional(),
  /** Access tokens carry one scope per dataset: this prefix + the dataset id. */
  dataset_scope_prefix: z.string().min(1).optional(),
  assurance_levels: z.array(PlatformAssuranceLevelSchema).optional(),
  /** How long a ready package may be downloaded (8 hours on the real platform). */
  package_lifetime_seconds: z.number().int().positive().optional(),
});
export type PlatformMetadata = z.infer<typeof PlatformMetadataSchema>;

/** GET /jwks: the keys the platform signs permission tickets with. */
export const JwksSchema = z.object({ keys: z.array(z.object({ kty: z.string(), kid: z.string() }).loose()) });
