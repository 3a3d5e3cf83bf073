// Loads and checks the sandbox's synthetic world from resources/sandbox/: organisations, datasets, services, notices, subjects, records.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resourcePath } from './resources.ts';
import { isValidBusinessId, isValidPersonalId } from '../common/ids.ts';
import { sha256Hex } from '../common/hash.ts';
import { ORGANIZATION_CATEGORIES, SUBJECT_TYPES } from '../common/enums.ts';
import { NoticeSchema, ServiceStatusSchema, type Notice } from '../protocol/catalogue.ts';

export const DEFAULT_RESOURCES_DIR = resourcePath('sandbox');

export const SubjectTypeSchema = z.enum(SUBJECT_TYPES);
export type SubjectType = z.infer<typeof SubjectTypeSchema>;
export const OrganizationCategorySchema = z.enum(ORGANIZATION_CATEGORIES);

const OrganizationSchema = z.object({
  id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  category: OrganizationCategorySchema,
  approving_authority_zh: z.string(),
  approving_authority_en: z.string(),
  roles: z.array(z.enum(['data-provider', 'service-provider'])).min(1),
  status: z.enum(['active', 'suspended', 'terminated']),
  terminated_at: z.string().optional(),
  termination_reason_zh: z.string().optional(),
  termination_reason_en: z.string().optional(),
}).strict();
export type Organization = z.infer<typeof OrganizationSchema>;

const DatasetSchema = z.object({
  // Real MyData dataset ids are `API.` + 10 characters; the demo-only datasets with no known real id keep a slug.
  id: z.string().regex(/^(API\.[A-Za-z0-9]{10}|[a-z][a-z0-9-]*)$/),
  provider: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  subject_type: SubjectTypeSchema,
  level_required: z.number().min(0).max(4),
  fields: z.array(z.object({ name: z.string(), label_zh: z.string(), label_en: z.string() }).strict()).min(1),
}).strict();
export type Dataset = z.infer<typeof DatasetSchema>;

const ServiceFieldSchema = z.object({
  name: z.string(),
  required: z.boolean(),
  purpose_zh: z.string().nullable(),
  purpose_en: z.string().nullable(),
}).strict();

const ServiceSourceSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.enum(['self-download', 'service-provider']),
  organization: z.string(),
  status: ServiceStatusSchema,
  subject_type: SubjectTypeSchema,
  name_zh: z.string(),
  name_en: z.string(),
  purpose_zh: z.string(),
  purpose_en: z.string(),
  retention_zh: z.string().optional(),
  retention_en: z.string().optional(),
  terms: z.object({ version: z.string(), text: z.string().min(1) }).strict(),
  datasets: z.array(z.object({ id: z.string(), fields: z.union([z.literal('all'), z.array(ServiceFieldSchema).min(1)]) }).strict()).min(1),
}).strict();

export interface ServiceField extends z.infer<typeof ServiceFieldSchema> {
  label_zh: string;
  label_en: string;
}
export interface ServiceDataset {
  id: string;
  provider: string;
  name_zh: string;
  name_en: string;
  level_required: number;
  fields: ServiceField[];
}
export interface Service extends Omit<z.infer<typeof ServiceSourceSchema>, 'datasets' | 'terms'> {
  terms: { version: string; text: string; sha256: string };
  datasets: ServiceDataset[];
  /** The strictest level any of its datasets requires. */
  level_required: number;
}

export type { Notice };

const PersonSchema = z.object({
  id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  national_id: z.string().refine(isValidPersonalId, 'national ID or 統一證號 checksum'),
  resident: z.boolean(),
  birth_date: z.iso.date(),
  gender: z.enum(['M', 'F']),
  pin: z.string().regex(/^\d{6,8}$/),
  about_zh: z.string(),
  about_en: z.string(),
}).strict();
export type Person = z.infer<typeof PersonSchema>;

const CompanySchema = z.object({
  id: z.string(),
  ban: z.string().refine(isValidBusinessId, '統一編號 checksum'),
  name_zh: z.string(),
  name_en: z.string(),
  representative: z.string(),
}).strict();
export type Company = z.infer<typeof CompanySchema>;

export interface SandboxWorld {
  organizations: Organization[];
  datasets: Dataset[];
  services: Service[];
  notices: Notice[];
  people: Person[];
  companies: Company[];
  /** subject id (person or company) → dataset id → record. */
  records: Record<string, Record<string, Record<string, unknown>>>;
}

function readJson(dir: string, name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, `file://${dir.endsWith('/') ? dir : `${dir}/`}`), 'utf8'));
}

/** Reads every file and cross-checks references, so a broken world fails at start, not in the middle of a journey. */
export async function loadWorld(dir: string = DEFAULT_RESOURCES_DIR): Promise<SandboxWorld> {
  const organizations = z.object({ organizations: z.array(OrganizationSchema) }).parse(readJson(dir, 'organizations.json')).organizations;
  const datasets = z.object({ datasets: z.array(DatasetSchema) }).parse(readJson(dir, 'datasets.json')).datasets;
  const sources = z.object({ services: z.array(ServiceSourceSchema) }).parse(readJson(dir, 'services.json')).services;
  const notices = z.object({ notices: z.array(NoticeSchema) }).parse(readJson(dir, 'notices.json')).notices;
  const subjects = z.object({ people: z.array(PersonSchema), companies: z.array(CompanySchema) }).parse(readJson(dir, 'personas.json'));
  const records = z.object({ records: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))) })
    .parse(readJson(dir, 'records.json')).records;

  const orgIds = new Set(organizations.map((o) => o.id));
  for (const d of datasets) if (!orgIds.has(d.provider)) throw new Error(`dataset ${d.id}: unknown provider ${d.provider}`);

  const services: Service[] = await Promise.all(sources.map(async (s) => {
    if (!orgIds.has(s.organization)) throw new Error(`service ${s.id}: unknown organization ${s.organization}`);
    const resolved = s.datasets.map((ref): ServiceDataset => {
      const def = datasets.find((d) => d.id === ref.id);
      if (!def) throw new Error(`service ${s.id}: unknown dataset ${ref.id}`);
      if (def.subject_type !== s.subject_type) throw new Error(`service ${s.id}: dataset ${def.id} is for ${def.subject_type} subjects`);
      const fields: ServiceField[] = ref.fields === 'all'
        ? def.fields.map((f) => ({ ...f, required: true, purpose_zh: s.purpose_zh, purpose_en: s.purpose_en }))
        : ref.fields.map((f) => {
          const label = def.fields.find((x) => x.name === f.name);
          if (!label) throw new Error(`service ${s.id}: dataset ${def.id} has no field ${f.name}`);
          return { ...f, label_zh: label.label_zh, label_en: label.label_en };
        });
      return { id: def.id, provider: def.provider, name_zh: def.name_zh, name_en: def.name_en, level_required: def.level_required, fields };
    });
    return {
      ...s,
      terms: { ...s.terms, sha256: await sha256Hex(s.terms.text) },
      datasets: resolved,
      level_required: Math.min(...resolved.map((d) => d.level_required)),
    };
  }));

  const peopleIds = new Set(subjects.people.map((p) => p.id));
  for (const c of subjects.companies) if (!peopleIds.has(c.representative)) throw new Error(`company ${c.id}: unknown representative`);
  const subjectIds = new Set([...peopleIds, ...subjects.companies.map((c) => c.id)]);
  for (const [subject, byDataset] of Object.entries(records)) {
    if (!subjectIds.has(subject)) throw new Error(`records: unknown subject ${subject}`);
    for (const datasetId of Object.keys(byDataset)) if (!datasets.some((d) => d.id === datasetId)) throw new Error(`records: unknown dataset ${datasetId}`);
  }
  return { organizations, datasets, services, notices, people: subjects.people, companies: subjects.companies, records };
}
