// The consent screen's view model (G5, G7, G10, G11, G16): what core decided the screen shows, in the person's language.
import { z } from 'zod';
import { InstantSchema } from './platform.ts';
import { LanguageSchema } from './settings.ts';
import { NonEmptyBilingualSchema } from '../common/schemas.ts';

const Text = z.string();
const Bilingual = NonEmptyBilingualSchema;

/** One requested field as a row of the screen: the label, whether the person may leave it out, the purpose or none. */
export const ConsentFieldViewSchema = z.object({
  name: z.string(),
  /** The key the screen keeps declines under (dataset and field). */
  key: z.string(),
  label: Text,
  /** Optional fields can be declined (G10); required ones cannot. */
  declinable: z.boolean(),
  /** null: shown flagged as "no stated purpose" (G10), whether the platform gave none or core flagged it. */
  purpose: Text.nullable(),
}).strict();
export type ConsentFieldView = z.infer<typeof ConsentFieldViewSchema>;

export const ConsentViewSchema = z.object({
  /** The language every label below is in. */
  language: LanguageSchema,
  serviceId: z.string(),
  kind: z.enum(['self-download', 'service-provider']),
  name: Text,
  /** Set for a service provider's request that arrived by deep link (G5). */
  request: z.object({
    requestUri: z.string(),
    expiresAt: InstantSchema,
    returnHost: z.string(),
    /** Whether the return address is on the provider's registered origin. */
    returnAllowed: z.boolean(),
  }).strict().nullable(),
  gate: z.object({
    allowed: z.boolean(),
    /** Shown but not blocking (G7). */
    warnings: z.array(z.object({ code: z.string(), message: Text }).strict()),
    /** Why consent is impossible now (G7, G16), in the person's language and then the other one. */
    refusal: z.object({ code: z.string(), message: Text, otherMessage: Text }).strict().nullable(),
    since: z.string().nullable(),
    until: z.string().nullable(),
  }).strict(),
  /** Who receives the data: the person (self-download) or the service provider, with its category and retention. */
  recipient: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('self') }).strict(),
    z.object({ kind: z.literal('service-provider'), name: Text, category: Text, retention: Text.nullable() }).strict(),
  ]),
  /** The request's purpose when there is one, the service's otherwise. */
  purpose: Text,
  /** The terms exactly as the screen shows them; their sha256 goes back with the decision (G11). */
  terms: z.object({ version: z.string(), sha256: z.string(), text: z.string() }).strict(),
  /** How many fields are flagged for having no stated purpose (G10). */
  flaggedCount: z.number().int().nonnegative(),
  /** Datasets grouped by data provider, in the catalogue's order. */
  providers: z.array(z.object({
    id: z.string(),
    name: Text,
    datasets: z.array(z.object({ id: z.string(), name: Text, levelRequired: z.number(), fields: z.array(ConsentFieldViewSchema) }).strict()),
  }).strict()),
  /** The verification the consent needs, decided once (the strictest level of the datasets, G8). */
  identity: z.object({
    requiredLevel: z.number(),
    subjectType: z.enum(['natural', 'legal']),
    datasets: z.array(z.string()),
    /** The current verification suffices: Consent need not wait for one. */
    verified: z.boolean(),
    /** A refusal is possible: it needs a session of the right subject type, no level or scope. */
    mayRefuse: z.boolean(),
    /** Why the current verification does not suffice (the verification step shows it, with the choice of method). */
    reason: Bilingual.nullable(),
  }).strict(),
  /** The one-sentence confirmation's names: datasets and providers as a list; the recipient, null for the person. */
  confirm: z.object({ datasets: Text, providers: Text, recipient: Text.nullable() }).strict(),
}).strict();
export type ConsentView = z.infer<typeof ConsentViewSchema>;
