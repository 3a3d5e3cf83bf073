// IPC contract of the readable dataset views, the CSV export of one dataset, and checking an exported history in the app.
import { z } from 'zod';
import { ExportResultSchema } from './package.ts';
import { BilingualSchema as Bilingual } from '../common/schemas.ts';

const PackageId = z.string().min(1).max(100);
const FileName = z.string().min(1).max(1000);

/** A date as the file wrote it and, when it could be read, the Gregorian calendar day (YYYY-MM-DD); ROC yyyMMdd included. */
export const DateValueSchema = z.object({ raw: z.string(), iso: z.string().nullable() }).strict();
export type DateValue = z.infer<typeof DateValueSchema>;

/** One cell of a table: its text, and its number or date when it is one (for sorting and formatting). */
export const CellSchema = z.object({ text: z.string(), number: z.number().nullable(), date: z.string().nullable() }).strict();
export type Cell = z.infer<typeof CellSchema>;

export const GenericTableSchema = z.object({ columns: z.array(z.string()), rows: z.array(z.array(CellSchema)) }).strict();
export type GenericTable = z.infer<typeof GenericTableSchema>;

/**
 * One table of a file shown generically: `path` says where in the JSON it sits ('' for the whole file or a CSV;
 * `a.b` an object's field; `a[].b` the lists under each entry of `a`, whose rows name their parent row in a column).
 */
export const TableSectionSchema = z.object({ path: z.string(), table: GenericTableSchema }).strict();
export type TableSection = z.infer<typeof TableSectionSchema>;

const Member = z.object({
  name: z.string(),
  relation: z.string().nullable(),
  birthOrder: z.string().nullable(),
  birth: DateValueSchema.nullable(),
  movedIn: DateValueSchema.nullable(),
  marriage: z.string().nullable(),
  education: z.string().nullable(),
}).strict();

const Period = z.object({
  unit: z.string(),
  category: z.string().nullable(),
  /** Insured salary (labour) or monthly premium (health), in NT$. */
  amount: z.number().nullable(),
  from: DateValueSchema.nullable(),
  to: DateValueSchema.nullable(),
}).strict();

const IncomeRow = z.object({
  year: z.number().int().nullable(),
  type: z.string(),
  payer: z.string(),
  amount: z.number().nullable(),
  withheld: z.number().nullable(),
}).strict();

const Fact = z.object({ label: Bilingual, text: z.string(), date: DateValueSchema.nullable(), number: z.number().nullable() }).strict();

export const DatasetViewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('household'), address: z.string().nullable(), householdId: z.string().nullable(), members: z.array(Member) }).strict(),
  z.object({
    kind: z.literal('insurance'),
    scheme: z.enum(['labour', 'health']),
    periods: z.array(Period),
    /**
     * Days covered by the dated periods, counting open periods up to `asOf` (Taipei calendar day); null when no period
     * has a start date (the dates were not delivered), so the total cannot be computed.
     */
    totalDays: z.number().int().nonnegative().nullable(),
    asOf: z.string(),
  }).strict(),
  z.object({
    kind: z.literal('income'),
    rows: z.array(IncomeRow),
    byYear: z.array(z.object({ year: z.number().int(), amount: z.number(), withheld: z.number() }).strict()),
    total: z.object({ amount: z.number(), withheld: z.number() }).strict(),
  }).strict(),
  z.object({ kind: z.literal('cards'), cards: z.array(z.object({ title: z.string(), subtitle: z.string().nullable(), facts: z.array(Fact) }).strict()) }).strict(),
  /** Every list and object of the file, each as its own table (a CSV is one). */
  z.object({ kind: z.literal('table'), tables: z.array(TableSectionSchema).min(1) }).strict(),
]);
export type DatasetView = z.infer<typeof DatasetViewSchema>;

export const DatasetViewResultSchema = z.object({
  name: z.string(),
  /** The dataset id the file belongs to (its part folder or its name), null when none is recognisable. */
  datasetId: z.string().nullable(),
  /** What the registry knows; null for an unknown dataset (it is still shown, as a generic table). */
  dataset: z.object({
    name: Bilingual,
    provider: Bilingual.nullable(),
    /** The identity level the platform requires, only where a public source states it; null: not published. */
    level: z.number().min(0).max(4).nullable(),
  }).strict().nullable(),
  format: z.enum(['json', 'csv']),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'big5']),
  /** A known dataset whose file has a layout the readable view does not recognise: shown as a generic table. */
  fellBack: z.boolean(),
  view: DatasetViewSchema,
}).strict();
export type DatasetViewResult = z.infer<typeof DatasetViewResultSchema>;

export const HistoryExportCheckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), records: z.number().int(), chainHead: z.string(), prunedCount: z.number().int() }).strict(),
  z.object({ ok: z.literal(false), kind: z.enum(['format', 'broken']), position: z.number().int().nullable(), line: z.number().int().nullable(), reason: z.string() }).strict(),
]);
export type HistoryExportCheck = z.infer<typeof HistoryExportCheckSchema>;

/** The largest history export the in-app check accepts (characters); a 100,000-record export is well below it. */
export const HISTORY_CHECK_MAX_CHARS = 128 * 1024 * 1024;

export const datasetChannels = {
  /** A JSON or CSV file of a package as a readable view (decoded: UTF-8 with or without BOM, or Big5), in memory only. */
  'dataset:view': { payload: z.object({ id: PackageId, name: FileName }).strict(), result: DatasetViewResultSchema },
  /** After the person's explicit action: the file as a CSV Excel opens (UTF-8 with BOM), saved where main's dialog says. */
  'dataset:export-csv': { payload: z.object({ id: PackageId, name: FileName }).strict(), result: ExportResultSchema },
  /** Checks an exported history's chain with the same function as the CLI; the renderer reads the file the person picked. */
  'history:check-export': { payload: z.object({ text: z.string().max(HISTORY_CHECK_MAX_CHARS) }).strict(), result: HistoryExportCheckSchema },
} as const;
