// The platform directory as the renderer sees it: services with their consent gate, organisations,
// and announcements with their working-day lead time (G6, G7, G13, G16).
import { z } from 'zod';
import { AppErrorSchema } from './errors.ts';
import { CatalogueServiceSchema, NoticeSchema, OrganizationSchema } from './platform.ts';

export const NoticeViewSchema = z.object({
  notice: NoticeSchema,
  timing: z.enum(['urgent', 'on-time', 'late']),
  /** Working days between announcement and effect (G13 asks for at least 7 unless urgent). */
  workingDays: z.number().int(),
  requiredWorkingDays: z.number().int(),
  latestOnTimeDate: z.string(),
  /** 'estimate' when a year without a published office calendar is involved (weekends only). */
  exactness: z.enum(['exact', 'estimate']),
  inEffect: z.boolean(),
});
export type NoticeView = z.infer<typeof NoticeViewSchema>;

export const ConsentGateViewSchema = z.object({
  allowed: z.boolean(),
  /** Shown but not blocking: testing and pilot services (G7). */
  warnings: z.array(AppErrorSchema),
  /** Why consent is impossible now: suspended, terminated, inside a suspension window (G7, G16). */
  refusal: AppErrorSchema.nullable(),
  since: z.string().nullable(),
  until: z.string().nullable(),
});
export type ConsentGateView = z.infer<typeof ConsentGateViewSchema>;

export const ServiceViewSchema = z.object({
  service: CatalogueServiceSchema,
  gate: ConsentGateViewSchema,
  /** Announcements that concern the service, its provider or its data providers. */
  noticeIds: z.array(z.string()),
});
export type ServiceView = z.infer<typeof ServiceViewSchema>;

export const DirectoryViewSchema = z.object({
  platform: z.object({ origin: z.string(), name_zh: z.string(), name_en: z.string() }),
  fetchedAt: z.string(),
  offline: z.boolean(),
  organizations: z.array(OrganizationSchema),
  services: z.array(ServiceViewSchema),
  notices: z.array(NoticeViewSchema),
});
export type DirectoryView = z.infer<typeof DirectoryViewSchema>;

export const directoryChannels = {
  /** The catalogue, registry and announcements; `refresh` fetches afresh, otherwise the copy in memory. */
  'platform:directory': { payload: z.object({ refresh: z.boolean() }).strict(), result: DirectoryViewSchema },
} as const;
