// The platform API's consent and transaction messages (ARCHITECTURE §5): the consent sent, the transaction it creates, its status with the real platform's codes (G1, G10, G14).
import { z } from 'zod';
import { InstantSchema, PlatformSubjectTypeSchema } from './catalogue.ts';

export const DeliverySchema = z.enum(['self', 'service-provider']);

/** POST /transactions: a consent (or a refusal) to one service, naming every dataset and the fields consented (G10, G11). */
export const ConsentBodySchema = z.object({
  service_id: z.string().min(1),
  datasets: z.array(z.object({ id: z.string().min(1), fields: z.array(z.string().min(1)) }).strict()).min(1),
  /** The SHA-256 of the terms the person was shown: the platform refuses a consent to terms that changed since. */
  terms_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  subject_type: PlatformSubjectTypeSchema,
  delivery: DeliverySchema,
  /** The service provider's request this consent answers (G5); absent for a self-download. */
  request_uri: z.string().optional(),
  decision: z.enum(['consent', 'refuse']).default('consent'),
}).strict();
export type ConsentBody = z.input<typeof ConsentBodySchema>;

/** POST /transactions 201: the new transaction and its current status code. */
export const TransactionCreatedSchema = z.object({
  tx_id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  status: z.union([z.literal(200), z.literal(205), z.literal(429)]),
});
export type TransactionCreated = z.infer<typeof TransactionCreatedSchema>;

/** One dataset of a transaction with its provider's code. */
export const DatasetStatusSchema = z.object({
  id: z.string(),
  provider: z.string(),
  code: z.number().int().nullable().describe('200 delivered, 404 the provider has no data for this subject, 500 provider error, 504 provider timeout; null while preparing'),
});

/**
 * GET /transactions/{tx_id}, with the real platform's codes: 200 ready, 201 already delivered (one-time, G1),
 * 403 some datasets failed, 410 expired, 429 preparing (with Retry-After), 504 every provider failed. 205 (refused) has no body.
 */
export const TransactionStatusSchema = z.object({
  tx_id: z.string(),
  status: z.union([z.literal(200), z.literal(201), z.literal(403), z.literal(410), z.literal(429), z.literal(504)]),
  service_id: z.string(),
  delivery: DeliverySchema,
  created_at: InstantSchema,
  ready_at: InstantSchema,
  expires_at: InstantSchema,
  /** When the platform delivered the package (201): the history records that time, not when the app learned it. */
  delivered_at: InstantSchema.nullable(),
  datasets: z.array(DatasetStatusSchema),
  package: z.object({ size: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
});
export type TransactionStatus = z.infer<typeof TransactionStatusSchema>;

/**
 * What the app reads of a status answer: the per-dataset codes and the delivery time. The other members are the
 * platform's to add; a platform that leaves them out (or sends a code the app does not know) is still read.
 */
export const TransactionStatusReadSchema = TransactionStatusSchema.pick({ tx_id: true, datasets: true })
  .extend({ status: z.number().int(), delivered_at: TransactionStatusSchema.shape.delivered_at.optional() })
  .loose();

/** GET /sandbox/provider-logs item (sandbox only): a data provider's record of one transmission (G14). */
export const ProviderLogRecordSchema = z.object({
  provider: z.string(),
  dataset: z.string(),
  dataset_name_zh: z.string(),
  dataset_name_en: z.string(),
  time: InstantSchema,
  recipient: z.object({ type: DeliverySchema, id: z.string().nullable(), name_zh: z.string().nullable() }),
  /** Masked: a national ID with its last four hidden, or a company's 統一編號. */
  subject: z.object({ type: PlatformSubjectTypeSchema, id_masked: z.string().regex(/\*\*\*\*$|^\d{8}$/) }),
  result: z.enum(['success', 'failure']),
  code: z.number().int(),
  tx_id: z.string(),
});
export type ProviderLogRecord = z.infer<typeof ProviderLogRecordSchema>;
