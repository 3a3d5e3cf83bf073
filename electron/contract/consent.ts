// Consent as the renderer sees it (ARCHITECTURE §5, §8; G5, G7, G10, G11, G12, G16): what is shown before a
// decision, the decision itself, what followed it, and the receipt every consent and refusal leaves behind.
import { z } from 'zod';
import { ConsentGateViewSchema } from './directory.ts';
import { CatalogueServiceSchema, InstantSchema, OrganizationSchema } from './platform.ts';
import { SessionFitSchema, SubjectTypeSchema } from './identity.ts';
import { NonEmptyBilingualSchema as Localized } from '../common/schemas.ts';
import { ConsentViewSchema } from './consent-view.ts';
import { LanguageSchema } from './settings.ts';

export * from './consent-view.ts';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const ServiceId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);
const RequestUri = z.string().regex(/^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9._~:-]{1,200}$/);
/** The platform's transaction ids (base64url); the app's own ids for failures start with `app-`. */
const TxId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const ReceiptId = z.string().regex(/^rcpt-[0-9a-f-]{36}$/);

/** A requested field with no stated purpose (G10): shown flagged, and listed here so the screen and receipt agree. */
export const FieldFlagSchema = z.object({ dataset: z.string(), field: z.string() }).strict();
export type FieldFlag = z.infer<typeof FieldFlagSchema>;

/** A service provider's request as the platform verified it (GET /requests/{request_uri}), plus what the app decided about it. */
export const ConsentRequestSchema = z.object({
  requestUri: RequestUri,
  expiresAt: InstantSchema,
  serviceProvider: OrganizationSchema.extend({ origin: z.string() }),
  purpose: Localized,
  returnUrl: z.string(),
  /** The return address's host, shown before consent so the person knows where they will be sent. */
  returnHost: z.string(),
  /** Whether the return address is on the provider's registered origin; only then can the app open it. */
  returnAllowed: z.boolean(),
}).strict();
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>;

/** Everything the consent screen shows before a decision. */
export const ConsentContextSchema = z.object({
  service: CatalogueServiceSchema,
  gate: ConsentGateViewSchema,
  /** Fields without a stated purpose (G10). */
  flags: z.array(FieldFlagSchema),
  /** Set for a service provider's request (G5). */
  request: ConsentRequestSchema.nullable(),
  /** Whether the current verification suffices (identity's fit for the service's datasets, and their scopes). */
  fit: SessionFitSchema,
}).strict();
export type ConsentContext = z.infer<typeof ConsentContextSchema>;

export const DeclinedFieldSchema = z.object({ dataset: z.string().min(1).max(64), field: z.string().min(1).max(64) }).strict();
export type DeclinedField = z.infer<typeof DeclinedFieldSchema>;

export const ConsentDecisionSchema = z.object({
  serviceId: ServiceId,
  /** For a service provider's request; absent for self-download. */
  requestUri: RequestUri.optional(),
  /** The sha256 of the terms the screen showed in full (G11); must equal the service's current terms. */
  termsShownSha256: Sha256Hex,
  /** Optional fields the person declined (G10); required fields cannot be declined. */
  declined: z.array(DeclinedFieldSchema).max(200),
  decision: z.enum(['consent', 'refuse']),
}).strict();
export type ConsentDecision = z.infer<typeof ConsentDecisionSchema>;

export const DatasetOutcomeSchema = z.object({
  id: z.string(),
  name: Localized,
  provider: z.object({ id: z.string(), name: Localized }).strict(),
  /** The platform's per-dataset code (200 delivered, 404 no data, 500 provider error, 504 provider timeout), null while unknown. */
  code: z.number().int().nullable(),
  outcome: z.enum(['pending', 'delivered', 'failed', 'refused']),
}).strict();
export type DatasetOutcome = z.infer<typeof DatasetOutcomeSchema>;

/** Where a transaction stands, from the platform's status codes (200, 201, 205, 403, 429, 504, 410). */
export const TransactionStateSchema = z.enum(['preparing', 'ready', 'delivered', 'partly-failed', 'failed', 'refused', 'expired']);
export type TransactionState = z.infer<typeof TransactionStateSchema>;

export const ConsentOutcomeSchema = z.object({
  txId: TxId,
  delivery: z.enum(['self', 'service-provider']),
  decision: z.enum(['consent', 'refuse']),
  state: TransactionStateSchema,
  /** The platform's transaction status code as last read. */
  status: z.number().int(),
  datasets: z.array(DatasetOutcomeSchema),
  receiptId: ReceiptId,
  /** Self-download: the download continues on My data with this tx_id. */
  downloadChannel: z.string().nullable(),
  /** Service provider: whether "Return to the provider" may open the return address. */
  returnAllowed: z.boolean(),
  returnHost: z.string().nullable(),
}).strict();
export type ConsentOutcome = z.infer<typeof ConsentOutcomeSchema>;

// ------------------------------------------------------------------ receipts (G12)

export const RECEIPT_VERSION = 'mydata-desktop-consent-receipt/1';

const ReceiptFieldSchema = z.object({
  name: z.string(),
  label: Localized,
  required: z.boolean(),
  /** null = no purpose stated (G10). */
  purpose: Localized.nullable(),
}).strict();

/**
 * A consent receipt after the Kantara Consent Receipt: version, jurisdiction, time, collection method, receipt id,
 * controllers, purpose, data categories with each field consented or declined, terms, verification, tx_id, and the
 * history's chain head at that moment, so a third party can tie the receipt to the exported history.
 */
export const ReceiptSchema = z.object({
  version: z.literal(RECEIPT_VERSION),
  receipt_id: ReceiptId,
  jurisdiction: z.literal('TW'),
  timestamp: InstantSchema,
  decision: z.enum(['consent', 'refuse']),
  collection_method: z.enum(['app-self-download', 'app-service-provider-request']),
  platform: z.object({ origin: z.string(), name: Localized }).strict(),
  service: z.object({ id: z.string(), name: Localized, status: z.string() }).strict(),
  /** Who decides about the data: the service provider (service-provider delivery) or the data providers (self-download). */
  controllers: z.array(z.object({
    id: z.string(),
    name: Localized,
    role: z.enum(['service-provider', 'data-provider']),
    category: z.string(),
    approving_authority: Localized,
  }).strict()).min(1),
  recipient: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('self') }).strict(),
    z.object({ kind: z.literal('service-provider'), id: z.string(), name: Localized, origin: z.string().nullable(), retention: Localized.nullable() }).strict(),
  ]),
  purpose: Localized,
  data_categories: z.array(z.object({
    dataset: z.object({ id: z.string(), name: Localized }).strict(),
    provider: z.object({ id: z.string(), name: Localized }).strict(),
    level_required: z.number(),
    consented: z.array(ReceiptFieldSchema),
    declined: z.array(ReceiptFieldSchema),
  }).strict()).min(1),
  terms: z.object({ version: z.string(), sha256: Sha256Hex }).strict(),
  subject: z.object({ type: SubjectTypeSchema, masked_id: z.string(), company_masked_id: z.string().nullable() }).strict(),
  verification: z.object({ method: z.string(), name: Localized, level: z.number(), provider: Localized }).strict(),
  tx_id: TxId,
  request_uri: z.string().nullable(),
  history: z.object({ chain_head: Sha256Hex, count: z.number().int().nonnegative() }).strict(),
}).strict();
export type Receipt = z.infer<typeof ReceiptSchema>;

export const ReceiptSummarySchema = z.object({
  receipt_id: ReceiptId,
  timestamp: InstantSchema,
  decision: z.enum(['consent', 'refuse']),
  service: z.object({ id: z.string(), name: Localized }).strict(),
  recipient: Localized,
  tx_id: TxId,
}).strict();
export type ReceiptSummary = z.infer<typeof ReceiptSummarySchema>;

/** Consent failures core produces (AppError.code). */
export const ConsentErrorCode = {
  UNKNOWN_SERVICE: 'CONSENT_UNKNOWN_SERVICE',
  TERMS_NOT_SHOWN: 'CONSENT_TERMS_NOT_SHOWN',
  TERMS_CHANGED: 'CONSENT_TERMS_CHANGED',
  REQUIRED_FIELD_DECLINED: 'CONSENT_REQUIRED_FIELD_DECLINED',
  UNKNOWN_FIELD: 'CONSENT_UNKNOWN_FIELD',
  NOT_VERIFIED: 'CONSENT_NOT_VERIFIED',
  STEP_UP_NEEDED: 'CONSENT_STEP_UP_NEEDED',
  WRONG_SUBJECT_TYPE: 'CONSENT_WRONG_SUBJECT_TYPE',
  REQUEST_MISSING: 'CONSENT_REQUEST_MISSING',
  REQUEST_MISMATCH: 'CONSENT_REQUEST_MISMATCH',
  REQUEST_UNAVAILABLE: 'CONSENT_REQUEST_UNAVAILABLE',
  PLATFORM_REFUSED: 'CONSENT_PLATFORM_REFUSED',
  PLATFORM_UNREACHABLE: 'CONSENT_PLATFORM_UNREACHABLE',
  STATUS_TIMEOUT: 'CONSENT_STATUS_TIMEOUT',
  UNKNOWN_TRANSACTION: 'CONSENT_UNKNOWN_TRANSACTION',
  RETURN_NOT_ALLOWED: 'CONSENT_RETURN_NOT_ALLOWED',
  UNKNOWN_RECEIPT: 'CONSENT_UNKNOWN_RECEIPT',
  RECEIPT_DAMAGED: 'CONSENT_RECEIPT_DAMAGED',
} as const;
export type ConsentErrorCodeValue = (typeof ConsentErrorCode)[keyof typeof ConsentErrorCode];

const Empty = z.object({}).strict();

/** Channels main spreads into `channels` (index.ts); handlers in electron/main/features/consent.ts. */
export const consentChannels = {
  /** What the consent screen shows for a catalogue service (self-download or service provider without a request). */
  'consent:context': { payload: z.object({ serviceId: ServiceId }).strict(), result: ConsentContextSchema },
  /** The same for a service provider's request that arrived by deep link: fetched from the platform and verified. */
  'consent:request': { payload: z.object({ requestUri: RequestUri }).strict(), result: ConsentContextSchema },
  /** The consent screen's view of a catalogue service: consent:context decided and labelled in `language`. */
  'consent:view': { payload: z.object({ serviceId: ServiceId, language: LanguageSchema }).strict(), result: ConsentViewSchema },
  /** The same for a service provider's request (consent:request decided and labelled in `language`). */
  'consent:request-view': { payload: z.object({ requestUri: RequestUri, language: LanguageSchema }).strict(), result: ConsentViewSchema },
  /** Sends the decision (consent or refusal), writes the receipt (and refusal history), answers the outcome so far. */
  'consent:submit': { payload: ConsentDecisionSchema, result: ConsentOutcomeSchema },
  /** Follows a service-provider transaction until the platform says delivered or failed (bounded); writes the delivery history. */
  'consent:follow': { payload: z.object({ txId: TxId }).strict(), result: ConsentOutcomeSchema },
  /** Opens the provider's return address in the system browser, only when it is on the provider's registered origin. */
  'consent:open-return': { payload: z.object({ txId: TxId }).strict(), result: Empty },
  'receipts:list': { payload: Empty, result: z.array(ReceiptSummarySchema) },
  'receipts:get': { payload: z.object({ id: ReceiptId }).strict(), result: ReceiptSchema },
  /**
   * Writes the receipt's PDF (zh-TW and English). The renderer never names a path: main picks the destination
   * (a save dialog in Electron; a file under the profile's `exports/` folder in the test bridge) and answers it.
   * `canceled` is true when the person closed the dialog.
   */
  'receipts:save-pdf': {
    payload: z.object({ id: ReceiptId }).strict(),
    result: z.object({ canceled: z.boolean(), path: z.string().nullable(), bytes: z.number().int().nonnegative() }).strict(),
  },
} as const;
