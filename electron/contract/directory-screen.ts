// The directory screens' view model (services list and detail, organisations, announcements, home's summary): what
// core decided they show, every label in the person's language (G6, G7, G8, G10, G13, G16).
import { z } from 'zod';
import { AppErrorSchema } from './errors.ts';
import { NoticeViewSchema } from './directory.ts';
import { NoticeKindSchema, OrganizationCategorySchema, PlatformSubjectTypeSchema, ServiceStatusSchema } from './platform.ts';
import { LanguageSchema } from './settings.ts';
import { SERVICE_KINDS } from '../common/enums.ts';

const Text = z.string();

/** An AppError said in the screen's language (the code stays for tests and the screen's data attributes). */
export const SaidErrorSchema = z.object({ code: AppErrorSchema.shape.code, message: Text }).strict();
export type SaidError = z.infer<typeof SaidErrorSchema>;

/** An organisation as every directory screen names it, with its standing (G6, G16). */
export const OrgLineViewSchema = z
  .object({
    id: z.string(),
    name: Text,
    category: OrganizationCategorySchema,
    approvingAuthority: Text,
    roles: z.array(z.enum(['data-provider', 'service-provider'])),
    status: z.enum(['active', 'suspended', 'terminated']),
    terminatedAt: z.string().nullable(),
    /** In the person's language; null when none was given in it. */
    terminationReason: Text.nullable(),
  })
  .strict();
export type OrgLineView = z.infer<typeof OrgLineViewSchema>;

/** What the catalogue's search and filters match a service against (its text in both languages, normalised). */
export const ServiceFacetsSchema = z
  .object({
    kind: z.enum(SERVICE_KINDS),
    subjectType: PlatformSubjectTypeSchema,
    providerIds: z.array(z.string()),
    category: OrganizationCategorySchema,
    status: ServiceStatusSchema,
    searchText: Text,
  })
  .strict();

export const DirectoryFieldViewSchema = z.object({ name: z.string(), label: Text, required: z.boolean(), purpose: Text.nullable() }).strict();

export const ServiceEntryViewSchema = z
  .object({
    id: z.string(),
    name: Text,
    /** The status shown: a terminated provider or data provider ends the service whatever its own status says (G16). */
    status: ServiceStatusSchema,
    levelRequired: z.number(),
    organization: OrgLineViewSchema,
    /** The data providers, each once, in the catalogue's order. */
    providers: z.array(OrgLineViewSchema),
    /** The terminated organisations behind the service (its provider or a data provider), each once. */
    terminated: z.array(OrgLineViewSchema),
    purpose: Text,
    /** Only a service-provider service keeps data; null there when it states no retention. */
    retention: Text.nullable(),
    terms: z.object({ version: z.string(), sha256: z.string() }).strict(),
    facets: ServiceFacetsSchema,
    gate: z
      .object({
        allowed: z.boolean(),
        warnings: z.array(SaidErrorSchema),
        /** Why consent is impossible now (G7, G16); null while allowed. */
        refusal: SaidErrorSchema.nullable(),
        /** Only when blocked: the gate's window, else the in-force announcement that blocks it. */
        since: z.string().nullable(),
        until: z.string().nullable(),
      })
      .strict(),
    /** Announcements that concern it (service detail), and those of them current as banners (not platform ones). */
    noticeIds: z.array(z.string()),
    bannerIds: z.array(z.string()),
    datasetGroups: z.array(
      z
        .object({
          provider: OrgLineViewSchema,
          datasets: z.array(
            z
              .object({
                id: z.string(),
                name: Text,
                levelRequired: z.number(),
                fields: z.array(DirectoryFieldViewSchema),
                /** Fields without a stated purpose (G10). */
                unstated: z.number().int(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();
export type ServiceEntryView = z.infer<typeof ServiceEntryViewSchema>;

/** An announcement as the screens show it: its timing as core classified it (NoticeView), its words in the person's language. */
export const NoticeItemViewSchema = NoticeViewSchema.omit({ notice: true })
  .extend({
    id: z.string(),
    kind: NoticeKindSchema,
    scope: z.enum(['platform', 'organisation', 'service']),
    /** What it is about: a service is linked when the catalogue knows it. */
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('platform') }).strict(),
      z.object({ kind: z.literal('organisation'), name: Text }).strict(),
      z.object({ kind: z.literal('service'), id: z.string(), name: Text, known: z.boolean() }).strict(),
    ]),
    text: Text,
    /** The language `text` is in: Chinese when no English was published (the screen says so). */
    textLanguage: LanguageSchema,
    announcedAt: z.string(),
    effectiveFrom: z.string(),
    effectiveUntil: z.string().nullable(),
    /** Still a banner: not yet in effect, or a blocking window in force (a change only until it takes effect). */
    current: z.boolean(),
  })
  .strict();
export type NoticeItemView = z.infer<typeof NoticeItemViewSchema>;

export const DirectoryScreenViewSchema = z
  .object({
    language: LanguageSchema,
    fetchedAt: z.string(),
    offline: z.boolean(),
    /** Every data provider in the catalogue, once, for the provider filter. */
    dataProviders: z.array(OrgLineViewSchema),
    organizations: z.array(
      OrgLineViewSchema.extend({
        /** Services it offers, and services that use its data (ids of `services`). */
        offers: z.array(z.string()),
        supplies: z.array(z.string()),
        bannerIds: z.array(z.string()),
      }).strict(),
    ),
    services: z.array(ServiceEntryViewSchema),
    /** Newest first. */
    notices: z.array(NoticeItemViewSchema),
    platformBannerIds: z.array(z.string()),
  })
  .strict();
export type DirectoryScreenView = z.infer<typeof DirectoryScreenViewSchema>;

export const directoryScreenChannels = {
  /** The directory as its screens show it, in `language`; `refresh` fetches afresh, otherwise the copy in memory. */
  'platform:directory-view': { payload: z.object({ refresh: z.boolean(), language: LanguageSchema }).strict(), result: DirectoryScreenViewSchema },
} as const;
