// IPC of app updates: where the update flow stands (checking, downloading with progress, ready to install), and the
// person's "restart to update". Installing happens only through update:restart (electron/core/update/flow.ts).
import { z } from 'zod';
import { AppErrorSchema } from './errors.ts';

const Empty = z.object({}).strict();

export const UpdateStateSchema = z.discriminatedUnion('state', [
  /** No updater here (development, tests) or checks turned off in Settings. */
  z.object({ state: z.literal('off'), reason: z.enum(['not-packaged', 'turned-off']) }),
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('up-to-date') }),
  z.object({
    state: z.literal('downloading'),
    version: z.string(),
    /** 0–100; bytes are null until the first progress report. */
    percent: z.number().min(0).max(100),
    transferred: z.number().nonnegative().nullable(),
    total: z.number().nonnegative().nullable(),
  }),
  /** Downloaded and its signature checked by the updater: installed only when the person restarts to update. */
  z.object({ state: z.literal('ready'), version: z.string() }),
  z.object({ state: z.literal('failed'), error: AppErrorSchema }),
]);
export type UpdateState = z.infer<typeof UpdateStateSchema>;

export const updateChannels = {
  'update:state': { payload: Empty, result: UpdateStateSchema },
  /** The person's action: quit and install the downloaded update (refused unless one is ready). */
  'update:restart': { payload: Empty, result: Empty },
} as const;

export const updateEvents = {
  'update:state': UpdateStateSchema,
} as const;
