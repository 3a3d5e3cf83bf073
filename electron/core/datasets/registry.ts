// The real MyData dataset registry (resources/datasets/registry.json): ids, names, providers and the source of each fact.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resourcePath } from '../resources.ts';

/** A real MyData dataset id: `API.` and ten letters or digits (e.g. API.7QovE2Gev6). */
export const REAL_DATASET_ID = /^API\.[A-Za-z0-9]{10}$/;

const Bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

/** The readable views the app has; a dataset without one is shown as a generic table. */
export const DatasetViewKindSchema = z.enum([
  'household-person',
  'household-all',
  'labour-insurance',
  'health-insurance',
  'income',
  'vehicles',
  'driving-licences',
  'company-officers',
]);
export type DatasetViewKind = z.infer<typeof DatasetViewKindSchema>;

const RegistryEntrySchema = z
  .object({
    id: z.string().regex(REAL_DATASET_ID),
    name_zh: z.string().min(1),
    name_en: z.string().min(1),
    /** Null when no source found names the provider. */
    provider: Bilingual.nullable(),
    subject_type: z.enum(['natural', 'legal']),
    /** Null: the platform keeps it in its database and no public source lists it (the dataset's page shows it). */
    level_required: z.number().min(0).max(4).nullable(),
    view: DatasetViewKindSchema.nullable(),
    formats: z.array(z.enum(['json', 'csv', 'pdf'])),
    sources: z
      .object({
        id_and_name: z.string().min(1),
        provider: z.string().min(1),
        shape: z.string().min(1).optional(),
        /** Where a public source states the level (required whenever level_required is set). */
        level: z.string().min(1).optional(),
      })
      .strict(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    // A provider without a stated source, or a source saying "unknown" with a provider, would be an unsourced fact.
    if ((e.provider === null) !== (e.sources.provider === 'unknown')) ctx.addIssue({ code: 'custom', message: `${e.id}: provider and its source disagree` });
    if (e.level_required !== null && e.sources.level === undefined) ctx.addIssue({ code: 'custom', message: `${e.id}: a level needs the source that states it` });
    if (e.view !== null && e.sources.shape === undefined) ctx.addIssue({ code: 'custom', message: `${e.id}: a readable view needs the source of its data shape` });
  });
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

export const RegistryFileSchema = z
  .object({
    $comment: z.string(),
    level_rule_source: z.string(),
    datasets: z.array(RegistryEntrySchema).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    for (const d of f.datasets) {
      if (seen.has(d.id)) ctx.addIssue({ code: 'custom', message: `duplicate dataset ${d.id}` });
      seen.add(d.id);
    }
  });

export class DatasetRegistry {
  readonly #byId: Map<string, RegistryEntry>;
  constructor(entries: readonly RegistryEntry[]) {
    this.#byId = new Map(entries.map((e) => [e.id, e]));
  }
  /** The entry for a dataset id, or null for an id the app does not know (still imported, shown as unknown). */
  get(id: string): RegistryEntry | null {
    return this.#byId.get(id) ?? null;
  }
  all(): RegistryEntry[] {
    return [...this.#byId.values()];
  }
}

/** Parses a registry file's JSON; throws (with zod's path) when it breaks the schema. */
export function parseRegistry(json: unknown): DatasetRegistry {
  return new DatasetRegistry(RegistryFileSchema.parse(json).datasets);
}

let shipped: DatasetRegistry | null = null;
/** The registry shipped in resources/datasets/ (read once). */
export function datasetRegistry(): DatasetRegistry {
  shipped ??= parseRegistry(JSON.parse(readFileSync(resourcePath('datasets', 'registry.json'), 'utf8')));
  return shipped;
}

/**
 * The dataset a file in a package belongs to: its provider part's folder (`API.xxxxxxxxxx/…`), else an id at the start
 * of its name (`API.xxxxxxxxxx.csv`, counter-service `API.xxxxxxxxxx.zip` contents), else null.
 */
export function datasetIdOfFile(name: string, resourceId: string | null = null): string | null {
  if (resourceId !== null && resourceId !== '') return resourceId;
  for (const part of name.split('/')) {
    const m = /^(API\.[A-Za-z0-9]{10})(?![A-Za-z0-9])/.exec(part);
    if (m?.[1]) return m[1];
  }
  return null;
}
