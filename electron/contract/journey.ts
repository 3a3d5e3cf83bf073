// IPC contract of the "get my data from MyData" journey: the official website opens in the person's browser, the app watches the downloads folder for a limited time and offers what arrives for import.
import { z } from 'zod';
import { AppErrorSchema } from './errors.ts';
import { ImportChoiceSchema } from './package.ts';

const Empty = z.object({}).strict();

export const JourneyStateSchema = z.object({
  state: z.enum(['idle', 'watching', 'found', 'timed-out', 'cancelled', 'failed']),
  /** The page opened in the person's browser (the official website, or the demo's stand-in). */
  website: z.string().nullable(),
  /** The folder watched (the person's own downloads folder, shown so they know where the app looks). */
  folder: z.string().nullable(),
  /** When watching stops by itself. */
  until: z.string().nullable(),
  /** The download found, offered for import (the person confirms first). */
  found: ImportChoiceSchema.nullable(),
  error: AppErrorSchema.nullable(),
});
export type JourneyState = z.infer<typeof JourneyStateSchema>;

export const journeyChannels = {
  /** Opens the website in the person's browser and starts watching the downloads folder (30 minutes). */
  'journey:start': { payload: Empty, result: JourneyStateSchema },
  'journey:cancel': { payload: Empty, result: JourneyStateSchema },
  'journey:status': { payload: Empty, result: JourneyStateSchema },
  /** After an import: deletes the plain copy the watcher found in the downloads folder (that file only). */
  'journey:delete-download': { payload: z.object({ token: z.string().min(1).max(100) }).strict(), result: z.object({ deleted: z.boolean() }) },
} as const;

export const journeyEvents = {
  'journey:state': JourneyStateSchema,
} as const;
