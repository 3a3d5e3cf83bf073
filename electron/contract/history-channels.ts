// IPC of the history screen (G12, G14, G15, G16): records and filters, "who has my data", the chart's counts,
// the chain's integrity, exports (CSV, PDF report), PDPA request letters, retention and "delete everything".
import { z } from 'zod';
import {
  HistoryIntegritySchema,
  HistoryQuerySchema,
  HistoryRecordSchema,
  LocalizedNameSchema,
  PdpaRightSchema,
  RecipientSummarySchema,
} from './history.ts';
import { LanguageSchema } from './settings.ts';

const Empty = z.object({}).strict();

/** The filters without paging and order: what the chart, the report and the facet lists are computed over. */
export const HistoryFilterSchema = HistoryQuerySchema.omit({ order: true, offset: true, limit: true });
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

const NamedSchema = z.object({ id: z.string(), name: LocalizedNameSchema });

/** What the screen needs before any filter: the chain's state, the retention, and the values each filter offers. */
export const HistoryStateSchema = z.object({
  integrity: HistoryIntegritySchema,
  retentionYears: z.number().int(),
  minRetentionYears: z.number().int(),
  /** Oldest and newest event time, null when the history is empty (bounds for the date inputs). */
  oldest: z.string().nullable(),
  newest: z.string().nullable(),
  facets: z.object({
    /** 'self' stands for the person themself. */
    recipients: z.array(NamedSchema),
    providers: z.array(NamedSchema),
    datasets: z.array(NamedSchema),
  }),
});
export type HistoryState = z.infer<typeof HistoryStateSchema>;

/** Counts for the chart: per Taipei calendar month (YYYY-MM) and per recipient, successful or partial transmissions. */
export const HistoryStatsSchema = z.object({
  months: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), count: z.number().int().nonnegative() })),
  recipients: z.array(z.object({ id: z.string(), name: LocalizedNameSchema.nullable(), count: z.number().int().nonnegative() })),
  /** Records matching the filter, whatever their result (the chart counts only what was transmitted). */
  total: z.number().int().nonnegative(),
  transmitted: z.number().int().nonnegative(),
});
export type HistoryStats = z.infer<typeof HistoryStatsSchema>;

/** Where an export went; `canceled` when the person closed the save dialog. */
export const SavedFileSchema = z.object({
  canceled: z.boolean(),
  path: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
  /** The chain head printed in the file (the same the screen shows). */
  chainHead: z.string(),
});
export type SavedFile = z.infer<typeof SavedFileSchema>;

export const PdpaLetterRequestSchema = z
  .object({
    /** The organisation the letter goes to: a service provider's id (a recipient) or a data provider's id. */
    organisationId: z.string().min(1),
    rights: z.array(PdpaRightSchema).min(1).max(5),
    language: LanguageSchema,
    /** Filled in for this letter only; never stored. */
    requester: z
      .object({ name: z.string().max(200).optional(), address: z.string().max(400).optional(), contact: z.string().max(200).optional() })
      .strict()
      .optional(),
    correction: z.string().max(2000).optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict();

/** A receipt whose {chain_head, count} the log does not hold (core/history/receipt-check.ts). */
export const FlaggedReceiptSchema = z.object({
  receipt_id: z.string(),
  timestamp: z.string(),
  service: LocalizedNameSchema,
  status: z.enum(['not-in-log', 'beyond-log']),
  chain_head: z.string(),
  count: z.number().int().nonnegative(),
});

export const ReceiptCheckSchema = z.object({
  checked: z.number().int().nonnegative(),
  /** Receipts from a part of the chain dropped by retention: nothing left to compare them with. */
  pruned: z.number().int().nonnegative(),
  flagged: z.array(FlaggedReceiptSchema),
});
export type ReceiptCheck = z.infer<typeof ReceiptCheckSchema>;

export const historyChannels = {
  'history:state': { payload: Empty, result: HistoryStateSchema },
  /** A page of records, filtered (newest first unless asked otherwise). */
  'history:query': {
    payload: HistoryQuerySchema,
    result: z.object({ total: z.number().int().nonnegative(), records: z.array(HistoryRecordSchema) }),
  },
  /** "Who has my data": per recipient, what and when last. */
  'history:recipients': { payload: Empty, result: z.array(RecipientSummarySchema) },
  'history:stats': { payload: HistoryFilterSchema, result: HistoryStatsSchema },
  /** Re-reads the log file and checks the whole chain now. */
  'history:verify': { payload: Empty, result: HistoryIntegritySchema },
  /** The person has seen a report (rollback, torn tail, mark problem): remove it, or all of them without an id. */
  'history:acknowledge': { payload: z.object({ id: z.string().min(1).optional() }).strict(), result: HistoryIntegritySchema },
  /** Every stored receipt's {chain_head, count} against the log. */
  'history:check-receipts': { payload: Empty, result: ReceiptCheckSchema },
  /** The whole history as the verifiable CSV (UTF-8 with BOM), to a place the person picks. */
  'history:export-csv': { payload: Empty, result: SavedFileSchema },
  /** Stops a CSV export under way (progress events, phase 'history-export'); it fails with HISTORY_EXPORT_CANCELLED. */
  'history:export-cancel': { payload: Empty, result: Empty },
  /** The PDF report of the filtered records, in the language asked. */
  'history:export-pdf': {
    payload: z.object({ language: LanguageSchema, filter: HistoryFilterSchema }).strict(),
    result: SavedFileSchema,
  },
  /** A PDPA Art. 3 request letter (PDF) citing the organisation's transmissions (G12). */
  'history:pdpa-letter': { payload: PdpaLetterRequestSchema, result: SavedFileSchema.extend({ transmissions: z.number().int().nonnegative() }) },
  /** Sets the retention (≥ 2 years, G14), saves it in the settings, and removes records older than it. */
  'history:set-retention': {
    payload: z.object({ years: z.number().int().min(2).max(50) }).strict(),
    result: z.object({ retentionYears: z.number().int(), pruned: z.number().int().nonnegative() }),
  },
  /** Deletes every record; the person has confirmed, after being told what is lost. */
  'history:delete-all': { payload: z.object({ confirm: z.literal(true) }).strict(), result: HistoryIntegritySchema },
  /** For a broken chain: keeps the records before the first bad one; the damaged file stays beside it as evidence. */
  'history:keep-valid': {
    payload: z.object({ confirm: z.literal(true) }).strict(),
    result: z.object({ evidence: z.string(), dropped: z.number().int().nonnegative(), integrity: HistoryIntegritySchema }),
  },
} as const;
