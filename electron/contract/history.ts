// History of what was shared with whom (G14, ARCHITECTURE §8): the record shape the core writes and the renderer shows.
import { z } from 'zod';
import { InstantSchema } from './platform.ts';
import { NonEmptyBilingualSchema } from '../common/schemas.ts';
// One subject-type enum for the whole contract: identity's (natural person or legal person, G2).
import { SubjectTypeSchema } from './identity.ts';

/** A name in both UI languages; zh-TW always, English always (the platform's catalogue gives both). */
export const LocalizedNameSchema = NonEmptyBilingualSchema;
export type LocalizedName = z.infer<typeof LocalizedNameSchema>;

/**
 * Masked subject identifiers, last four hidden (ARCHITECTURE §7). A natural person's national ID or resident
 * certificate number is a letter, a letter or digit, then eight digits: only the first six characters survive.
 * A company's 統一編號 is eight digits: only the first four survive. Anything else (an unmasked ID above all)
 * is refused, so the history can never hold a full national ID.
 */
export const MASKED_NATURAL_ID = /^[A-Z][A-Z0-9][0-9]{4}\*{4}$/;
export const MASKED_LEGAL_ID = /^[0-9]{4}\*{4}$/;

export const HistorySubjectSchema = z
  .object({ masked_id: z.string(), type: SubjectTypeSchema })
  .strict()
  .refine((s) => (s.type === 'natural' ? MASKED_NATURAL_ID : MASKED_LEGAL_ID).test(s.masked_id), {
    error: 'subject id must be masked (last four characters replaced by *)',
    path: ['masked_id'],
  });
export type HistorySubject = z.infer<typeof HistorySubjectSchema>;

/** Who received the data: the person themself (self-download) or a service provider (G5). */
export const HistoryRecipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('self') }).strict(),
  z.object({ kind: z.literal('service-provider'), id: z.string().min(1), name: LocalizedNameSchema }).strict(),
]);
export type HistoryRecipient = z.infer<typeof HistoryRecipientSchema>;

/** What happened: a self-download, a delivery to a service provider, the person's refusal, a failure, or a file the person imported. */
export const HistoryEventKindSchema = z.enum(['self-download', 'delivery', 'refusal', 'failure', 'import']);

export const HistoryResultSchema = z.enum(['success', 'failure', 'refused', 'partial']);

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Where an imported file came from: the official website, a counter (臨櫃), a service provider's signed package, or the demo. */
export const ImportSourceSchema = z.enum(['official-website', 'counter', 'service-provider-package', 'demo']);
export type ImportSource = z.infer<typeof ImportSourceSchema>;

/**
 * An import's facts (kind 'import' only): its source, the verdict (`unsigned` for the website's downloads, which
 * carry no provider signatures: never "verified"), and the SHA-256 of the file as received, the integrity
 * reference from then on.
 */
export const HistoryImportSchema = z
  .object({
    source: ImportSourceSchema,
    verdict: z.enum(['verified', 'unsigned', 'not-verified']),
    file_sha256: Sha256Hex,
    file_name: z.string().min(1).max(255),
  })
  .strict();

/** One transmission event for one dataset, as the journeys hand it to the history (before the log numbers it). */
export const HistoryEntrySchema = z
  .object({
    /** When the event happened (the platform's answer, the end of the delivery), with an explicit offset. */
    time: InstantSchema,
    kind: HistoryEventKindSchema,
    dataset: z.object({ id: z.string().min(1), name: LocalizedNameSchema }).strict(),
    /** The data provider (資料提供者, G4) that holds the dataset. */
    provider: z.object({ id: z.string().min(1), name: LocalizedNameSchema }).strict(),
    /** The service through which it happened (self-download service or the service provider's service). */
    service: z.object({ id: z.string().min(1), name: LocalizedNameSchema }).strict().nullable(),
    recipient: HistoryRecipientSchema,
    /** Null only for an import whose file named no one (no ID was typed and nobody was signed in). */
    subject: HistorySubjectSchema.nullable(),
    /** Identity verification method (e.g. 'MOICA', 'TWFIDO') and its assurance level (lower = stronger, §7); 'file-import' and null for an import. */
    method: z.string().min(1),
    assurance_level: z.number().min(0).max(10).nullable(),
    result: HistoryResultSchema,
    /** The platform's status code for this dataset ('200', '205', '403', '504', …) or the app's error code. */
    code: z.string().min(1),
    tx_id: z.string().min(1),
    receipt_id: z.string().min(1).nullable(),
    terms_sha256: Sha256Hex.nullable(),
    import: HistoryImportSchema.optional(),
  })
  .strict();
export type HistoryEntryInput = z.input<typeof HistoryEntrySchema>;

/** A record as stored and shown: the entry, numbered in the chain, with the log's own clock and id. */
export const HistoryRecordSchema = HistoryEntrySchema.extend({
  /** Position in the chain since the log began (pruned records keep their numbers). */
  seq: z.number().int().nonnegative(),
  id: z.string().min(1),
  /** When the log wrote it (the log's clock; retention counts from here). */
  recorded_at: InstantSchema,
}).strict();
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

/** Filters of the history screen; every field narrows, absent fields do not. */
export const HistoryQuerySchema = z
  .object({
    /** Inclusive lower bound and exclusive upper bound on `time`. */
    from: InstantSchema.optional(),
    until: InstantSchema.optional(),
    /** 'self' or a service provider's id. */
    recipient: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    dataset: z.string().min(1).optional(),
    result: HistoryResultSchema.optional(),
    subject_type: SubjectTypeSchema.optional(),
    /** Newest first by default. */
    order: z.enum(['newest', 'oldest']).optional(),
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().positive().max(100_000).optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/** "Who has my data": for one recipient, what it received and when last. */
export const RecipientSummarySchema = z.object({
  recipient: HistoryRecipientSchema,
  /** Successful or partial transmissions to this recipient. */
  transmissions: z.number().int().nonnegative(),
  last_time: InstantSchema,
  datasets: z.array(
    z.object({
      id: z.string(),
      name: LocalizedNameSchema,
      provider: z.object({ id: z.string(), name: LocalizedNameSchema }),
      count: z.number().int().positive(),
      last_time: InstantSchema,
      last_tx_id: z.string(),
    }),
  ),
});
export type RecipientSummary = z.infer<typeof RecipientSummarySchema>;

/** The state of the chain, shown on the history screen and printed in receipts and exports. */
/**
 * Something found on opening the history that the person must see until they acknowledge it (G14): the log shorter
 * than its high-water mark or with another head (an older copy restored, or records cut off), a torn last record
 * dropped after a crash, the mark itself missing or altered, or a sealed checkpoint that failed its check.
 */
export const HistoryReportSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['rolled-back', 'replaced', 'torn-tail', 'mark-missing', 'mark-tampered', 'checkpoint-tampered']),
  detected_at: InstantSchema,
  /** What the mark said the log held (count = chain length, pruned records included), when known. */
  expected: z.object({ count: z.number().int().nonnegative(), head: Sha256Hex }).nullable(),
  /** What the log held when this was found. */
  found: z.object({ count: z.number().int().nonnegative(), head: Sha256Hex }),
  /** Records the mark vouches for that the log no longer has (rolled-back), else 0. */
  missing: z.number().int().nonnegative(),
  /** For torn-tail: where the partial record was and its size. */
  torn: z.object({ offset: z.number().int().nonnegative(), bytes: z.number().int().positive() }).nullable(),
});
export type HistoryReport = z.infer<typeof HistoryReportSchema>;

export const HistoryIntegritySchema = z.object({
  /** SHA-256 (hex) of the last record's chain entry; the genesis value when the log is empty. */
  head: Sha256Hex,
  count: z.number().int().nonnegative(),
  /** Records dropped by retention, whose head the log keeps as a checkpoint. */
  pruned_count: z.number().int().nonnegative(),
  broken: z
    .object({ position: z.number().int().nonnegative(), reason: z.string() })
    .nullable(),
  /** Set when opening dropped a torn last record (an append interrupted by a crash, never acknowledged). */
  torn_tail_dropped: z.object({ offset: z.number().int().nonnegative(), bytes: z.number().int().positive() }).nullable(),
  /** Reports not yet acknowledged by the person, oldest first; they survive restarts. */
  reports: z.array(HistoryReportSchema),
});
export type HistoryIntegrity = z.infer<typeof HistoryIntegritySchema>;

/** PDPA Art. 3 rights a person can exercise against a recipient (G12). */
export const PdpaRightSchema = z.enum(['view', 'copy', 'correct', 'stop', 'delete']);
export type PdpaRight = z.infer<typeof PdpaRightSchema>;
