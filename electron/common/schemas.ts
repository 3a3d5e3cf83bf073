// The zod schemas of the shared types, apart from the helpers so that the renderer's bundle does not pull in zod.
import { z } from 'zod';

/** Both languages present, possibly empty (a provider's name the platform left blank is shown as blank, not refused). */
export const BilingualSchema = z.object({ zh: z.string(), en: z.string() }).strict();

/** Both languages present and non-empty: names the app itself writes into history and receipts. */
export const NonEmptyBilingualSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
