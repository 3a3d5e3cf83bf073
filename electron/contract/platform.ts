// Platform protocol shapes shared by the sandbox, core and renderer: announcements (G13) and service status (G7, G16).
import { z } from 'zod';

/** Interconnection status of one service (G7 lifecycle; G16 termination). */
export const ServiceStatusSchema = z.enum(['testing', 'pilot', 'live', 'suspended', 'terminated']);
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const NoticeKindSchema = z.enum(['change', 'suspension', 'termination', 'maintenance']);
export type NoticeKind = z.infer<typeof NoticeKindSchema>;

export const NoticeScopeSchema = z.enum(['platform', 'organisation', 'service']);
export type NoticeScope = z.infer<typeof NoticeScopeSchema>;

/**
 * An instant with an explicit offset ('Z' or '+08:00'). Offset-less timestamps are refused because
 * they would be read in whatever time zone the machine happens to be in.
 */
export const InstantSchema = z.iso.datetime({ offset: true });

/** Announcement text: Traditional Chinese always; English when the publisher gives one. */
export const NoticeTextSchema = z.object({
  zh: z.string().min(1),
  en: z.string().min(1).optional(),
});
export type NoticeText = z.infer<typeof NoticeTextSchema>;

const NoticeBase = z.object({
  id: z.string().min(1),
  kind: NoticeKindSchema,
  announced_at: InstantSchema,
  effective_from: InstantSchema,
  /** End of the window, exclusive; null or absent = open-ended (always so in effect for terminations). */
  effective_until: InstantSchema.nullable().optional(),
  /** The publisher declared an emergency, which exempts the notice from the 7-working-day rule (G13). */
  urgent: z.boolean(),
  text: NoticeTextSchema,
});

/** GET /notices item (ARCHITECTURE §5). The scope says what the notice is about and names its target. */
export const NoticeSchema = z
  .discriminatedUnion('scope', [
    NoticeBase.extend({ scope: z.literal('platform') }),
    NoticeBase.extend({ scope: z.literal('organisation'), organisation_id: z.string().min(1) }),
    NoticeBase.extend({
      scope: z.literal('service'),
      service_id: z.string().min(1),
      organisation_id: z.string().min(1).optional(),
    }),
  ])
  .refine((n) => n.effective_until == null || Date.parse(n.effective_until) > Date.parse(n.effective_from), {
    error: 'effective_until must be after effective_from',
    path: ['effective_until'],
  });
export type Notice = z.infer<typeof NoticeSchema>;

export const NoticeListSchema = z.array(NoticeSchema);
