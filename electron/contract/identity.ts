// Identity verification as the renderer sees it (ARCHITECTURE §7; G2, G3, G8): methods and levels, providers, the session — never a token.
import { z } from 'zod';
import { NonEmptyBilingualSchema } from '../common/schemas.ts';
import { STRONGEST_LEVEL, SUBJECT_TYPES, WEAKEST_LEVEL } from '../common/enums.ts';

export const SubjectTypeSchema = z.enum(SUBJECT_TYPES);
export type SubjectType = z.infer<typeof SubjectTypeSchema>;

/** An assurance level as the platform ranks them: lower is stronger (0 = 自然人憑證 … 4 = one-time code). */
export const AssuranceLevelSchema = z.number().min(STRONGEST_LEVEL).max(WEAKEST_LEVEL);
export type AssuranceLevel = z.infer<typeof AssuranceLevelSchema>;

export const MethodIdSchema = z.enum([
  'moica', 'chip-bank-card', 'hw-bank-cert', 'moeaca', 'tw-fido', 'nhi-card', 'sw-bank-cert', 'dual-id', 'otp',
]);
export type MethodId = z.infer<typeof MethodIdSchema>;

export const VerificationMethodSchema = z.object({
  id: MethodIdSchema,
  level: AssuranceLevelSchema,
  name_zh: z.string(),
  name_en: z.string(),
  /** 工商憑證 serves company representatives only; every other method serves individuals. */
  subjectType: SubjectTypeSchema,
});
export type VerificationMethod = z.infer<typeof VerificationMethodSchema>;

/** The methods and levels of the real platform (ARCHITECTURE §7). The IdP names the method in `acr` and `amr` with these ids. */
export const VERIFICATION_METHODS: readonly VerificationMethod[] = [
  { id: 'moica', level: 0, name_zh: '自然人憑證', name_en: 'Citizen Digital Certificate (MOICA)', subjectType: 'natural' },
  { id: 'chip-bank-card', level: 0.1, name_zh: '晶片金融卡', name_en: 'Chip bank card', subjectType: 'natural' },
  { id: 'hw-bank-cert', level: 0.2, name_zh: '硬體金融憑證', name_en: 'Hardware financial certificate', subjectType: 'natural' },
  { id: 'moeaca', level: 0.5, name_zh: '工商憑證', name_en: 'Business certificate (MOEACA)', subjectType: 'legal' },
  { id: 'tw-fido', level: 1, name_zh: 'TW FidO／行動自然人憑證', name_en: 'TW FidO / mobile citizen certificate', subjectType: 'natural' },
  { id: 'nhi-card', level: 2, name_zh: '健保卡', name_en: 'National Health Insurance card', subjectType: 'natural' },
  { id: 'sw-bank-cert', level: 2.1, name_zh: '軟體金融憑證', name_en: 'Software financial certificate', subjectType: 'natural' },
  { id: 'dual-id', level: 3, name_zh: '雙證件', name_en: 'Two identity documents', subjectType: 'natural' },
  { id: 'otp', level: 4, name_zh: 'Email／簡訊一次性密碼', name_en: 'Email / SMS one-time code', subjectType: 'natural' },
];

/** A text in both languages: Traditional Chinese first. */
export type { Bilingual } from '../common/bilingual.ts';

/** One method as a provider offers it for a given need: disabled ones carry the reason (so the screen can say why). */
export const MethodChoiceSchema = z.object({
  method: VerificationMethodSchema,
  qualifies: z.boolean(),
  reason: NonEmptyBilingualSchema.nullable(),
});
export type MethodChoice = z.infer<typeof MethodChoiceSchema>;

/** An accredited identity provider, as the platform's metadata lists it (G3). */
export const IdentityProviderSchema = z.object({
  issuer: z.url(),
  name_zh: z.string(),
  name_en: z.string(),
  methods: z.array(MethodIdSchema),
  subject_types: z.array(SubjectTypeSchema),
});
export type IdentityProvider = z.infer<typeof IdentityProviderSchema>;

/** A 統一編號 (8 digits) with the company's name. */
export const CompanySchema = z.object({
  ban: z.string().regex(/^\d{8}$/),
  name: z.string().min(1),
});

/**
 * The verified identity the renderer may see. No token, no key, no full national ID: the DPoP-bound
 * access token stays inside core's platform client (ARCHITECTURE §7).
 */
export const IdentitySessionSchema = z.object({
  /** Random per verification, so the UI can tell a step-up's new session from the old one. */
  id: z.string().min(8),
  subjectType: SubjectTypeSchema,
  displayName: z.string().min(1),
  /** National ID or 統一證號 with its last four characters hidden: `A12345****`. */
  maskedId: z.string().regex(/^[A-Z][0-9]{5}\*{4}$/),
  /** Only for a company representative (G2). */
  company: CompanySchema.nullable(),
  issuer: z.url(),
  provider: NonEmptyBilingualSchema,
  method: MethodIdSchema,
  level: AssuranceLevelSchema,
  /** When the person authenticated at the IdP (ID token `auth_time`), ISO 8601. */
  authTime: z.iso.datetime({ offset: true }),
  /** When the platform will stop accepting this verification (access token expiry), ISO 8601. */
  expiresAt: z.iso.datetime({ offset: true }),
  /** The datasets the platform will release under this verification. */
  datasets: z.array(z.string()),
}).strict();
export type IdentitySession = z.infer<typeof IdentitySessionSchema>;

export const BeginVerificationSchema = z.object({
  subjectType: SubjectTypeSchema,
  issuer: z.url(),
  /** A preferred method; the IdP then shows only that one. Must qualify. */
  method: MethodIdSchema.optional(),
  /** The weakest level acceptable (the maximum of the datasets' required levels; lower is stronger). */
  requiredLevel: AssuranceLevelSchema,
  /** Dataset ids; each becomes one scope. */
  datasets: z.array(z.string().regex(/^(API\.[A-Za-z0-9]{10}|[a-z][a-z0-9-]*)$/)).max(50),
  /** Why this verification is asked for (a step-up's reason), echoed back to the UI. */
  reason: NonEmptyBilingualSchema.optional(),
}).strict();
export type BeginVerification = z.infer<typeof BeginVerificationSchema>;

/** What the renderer gets while a verification runs; the session arrives by the `identity:changed` event. */
export const VerificationTicketSchema = z.object({
  transactionId: z.string().min(8),
  issuer: z.url(),
  /** When the loopback stops waiting, ISO 8601. */
  deadline: z.iso.datetime({ offset: true }),
  reason: NonEmptyBilingualSchema.nullable(),
}).strict();
export type VerificationTicket = z.infer<typeof VerificationTicketSchema>;

/** A dataset as far as identity rules care: its level and whose data it is. */
export const DatasetNeedSchema = z.object({
  id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  subjectType: SubjectTypeSchema,
  requiredLevel: AssuranceLevelSchema,
});
export type DatasetNeed = z.infer<typeof DatasetNeedSchema>;

/** Can the current session be used for these datasets, and if not, what must happen (step-up, other subject type). */
export const SessionFitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ok') }),
  z.object({ kind: z.literal('no-session'), requiredLevel: AssuranceLevelSchema, subjectType: SubjectTypeSchema, reason: NonEmptyBilingualSchema }),
  z.object({ kind: z.literal('step-up'), requiredLevel: AssuranceLevelSchema, subjectType: SubjectTypeSchema, methods: z.array(MethodIdSchema), reason: NonEmptyBilingualSchema }),
  z.object({ kind: z.literal('wrong-subject-type'), subjectType: SubjectTypeSchema, reason: NonEmptyBilingualSchema }),
  z.object({ kind: z.literal('mixed-subject-types'), reason: NonEmptyBilingualSchema }),
]);
export type SessionFit = z.infer<typeof SessionFitSchema>;

/** The identity-related error codes core produces (AppError.code); each has its own zh-TW + English message. */
export const IdentityErrorCode = {
  ISSUER_NOT_ACCREDITED: 'IDENTITY_ISSUER_NOT_ACCREDITED',
  PLATFORM_UNREACHABLE: 'IDENTITY_PLATFORM_UNREACHABLE',
  PLATFORM_METADATA_INVALID: 'IDENTITY_PLATFORM_METADATA_INVALID',
  IDP_UNREACHABLE: 'IDENTITY_IDP_UNREACHABLE',
  IDP_METADATA_INVALID: 'IDENTITY_IDP_METADATA_INVALID',
  METHOD_NOT_QUALIFYING: 'IDENTITY_METHOD_NOT_QUALIFYING',
  NO_QUALIFYING_METHOD: 'IDENTITY_NO_QUALIFYING_METHOD',
  LOOPBACK_UNAVAILABLE: 'IDENTITY_LOOPBACK_UNAVAILABLE',
  TIMEOUT: 'IDENTITY_TIMEOUT',
  CANCELLED: 'IDENTITY_CANCELLED',
  CANCELLED_AT_IDP: 'IDENTITY_CANCELLED_AT_IDP',
  IDP_ERROR: 'IDENTITY_IDP_ERROR',
  STATE_MISMATCH: 'IDENTITY_STATE_MISMATCH',
  ISSUER_MISMATCH: 'IDENTITY_ISSUER_MISMATCH',
  CODE_MISSING: 'IDENTITY_CODE_MISSING',
  CODE_REPLAYED: 'IDENTITY_CODE_REPLAYED',
  PKCE_REJECTED: 'IDENTITY_PKCE_REJECTED',
  NONCE_MISMATCH: 'IDENTITY_NONCE_MISMATCH',
  ID_TOKEN_UNSIGNED: 'IDENTITY_ID_TOKEN_UNSIGNED',
  ID_TOKEN_BAD_SIGNATURE: 'IDENTITY_ID_TOKEN_BAD_SIGNATURE',
  ID_TOKEN_EXPIRED: 'IDENTITY_ID_TOKEN_EXPIRED',
  ID_TOKEN_INVALID: 'IDENTITY_ID_TOKEN_INVALID',
  AUTH_TOO_OLD: 'IDENTITY_AUTH_TOO_OLD',
  ACR_INSUFFICIENT: 'IDENTITY_ACR_INSUFFICIENT',
  SUBJECT_MISMATCH: 'IDENTITY_SUBJECT_MISMATCH',
  TOKEN_NOT_DPOP_BOUND: 'IDENTITY_TOKEN_NOT_DPOP_BOUND',
  CALLBACK_REPEATED: 'IDENTITY_CALLBACK_REPEATED',
  CALLBACK_UNEXPECTED: 'IDENTITY_CALLBACK_UNEXPECTED',
  NO_SESSION: 'IDENTITY_NO_SESSION',
  SESSION_EXPIRED: 'IDENTITY_SESSION_EXPIRED',
  PLATFORM_ORIGIN_REFUSED: 'IDENTITY_PLATFORM_ORIGIN_REFUSED',
  UNKNOWN_TRANSACTION: 'IDENTITY_UNKNOWN_TRANSACTION',
} as const;
export type IdentityErrorCodeValue = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

const Empty = z.object({}).strict();

/**
 * Channels for main to spread into `channels` (index.ts) when it wires identity: payload and result schemas.
 * Main's handlers call IdentityService (electron/core/identity/service.ts); see its doc comments.
 */
export const identityChannels = {
  /** The accredited providers, each with its method choices for a need. */
  'identity:providers': {
    payload: z.object({ subjectType: SubjectTypeSchema, requiredLevel: AssuranceLevelSchema }).strict(),
    result: z.array(IdentityProviderSchema.extend({ choices: z.array(MethodChoiceSchema) })),
  },
  'identity:begin': { payload: BeginVerificationSchema, result: VerificationTicketSchema },
  'identity:cancel': { payload: z.object({ transactionId: z.string() }).strict(), result: Empty },
  'identity:reopen-browser': { payload: z.object({ transactionId: z.string() }).strict(), result: Empty },
  'identity:session': { payload: Empty, result: IdentitySessionSchema.nullable() },
  'identity:fit': { payload: z.object({ datasets: z.array(DatasetNeedSchema).min(1) }).strict(), result: SessionFitSchema },
  'identity:sign-out': { payload: Empty, result: Empty },
} as const;

/** Events main sends: the outcome of a verification (session or error), and session changes (sign-out, expiry). */
export const identityEvents = {
  'identity:result': z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), transactionId: z.string(), session: IdentitySessionSchema }),
    z.object({ ok: z.literal(false), transactionId: z.string(), error: z.object({ code: z.string(), message_zh: z.string(), message_en: z.string(), retryable: z.boolean() }) }),
  ]),
  'identity:changed': IdentitySessionSchema.nullable(),
} as const;
