// Channels of the profile choice and the Settings screen's main-side parts (platform check, folder picker).
import { z } from 'zod';
import { ProfileChoiceSchema, SettingsSchema } from './settings.ts';

export const CheckedPlatformSchema = z.object({
  /** The origin the app will store and connect to. */
  origin: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
});
export type CheckedPlatform = z.infer<typeof CheckedPlatformSchema>;

export const DownloadsFolderSchema = z.object({
  /** The folder the person chose, or null for the OS's downloads folder. */
  chosen: z.string().nullable(),
  /** The OS's downloads folder, shown when nothing was chosen. */
  osDefault: z.string(),
});
export type DownloadsFolder = z.infer<typeof DownloadsFolderSchema>;

export const profileChannels = {
  /** Fetches an address's platform metadata without switching to it (the Settings screen's "Check" button). */
  'profile:check-platform': { payload: z.object({ url: z.string().max(2048) }).strict(), result: CheckedPlatformSchema },
  /** Records the person's profile choice and recomposes the app on that profile's folder; the window reloads after. */
  'profile:choose': { payload: ProfileChoiceSchema, result: SettingsSchema },
  'settings:downloads-folder': { payload: z.object({}).strict(), result: DownloadsFolderSchema },
  /** Opens main's folder picker; the answer is stored, or nothing changes when the person cancels. */
  'settings:choose-downloads-folder': { payload: z.object({}).strict(), result: DownloadsFolderSchema },
} as const;
