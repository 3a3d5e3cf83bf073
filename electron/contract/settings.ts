// Settings as the renderer sees them: the persisted preferences of ARCHITECTURE §8.
import { z } from 'zod';
import { CALENDARS, LANGUAGES } from '../common/locale.ts';

export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** 'system' follows the OS (prefers-color-scheme / forced-colors); the others are explicit choices. */
export const ThemeSchema = z.enum(['system', 'light', 'dark', 'high-contrast']);
export type Theme = z.infer<typeof ThemeSchema>;

/** How dates are shown: Gregorian (西元) or the ROC calendar (民國). */
export const CalendarSchema = z.enum(CALENDARS);
export type CalendarPreference = z.infer<typeof CalendarSchema>;

/**
 * Which platform and which data the app works with; each profile has its own folder (vault, keys, history, receipts,
 * trust anchors). 'official': the official MyData service (no public API: website downloads are imported);
 * 'demo': the embedded sandbox with synthetic people; 'platform': another platform speaking this project's API.
 */
export const ProfileSchema = z.enum(['official', 'demo', 'platform']);
export type Profile = z.infer<typeof ProfileSchema>;

export const SettingsSchema = z.object({
  language: LanguageSchema,
  theme: ThemeSchema,
  calendar: CalendarSchema,
  profile: ProfileSchema,
  /** False until the person picked a profile (a packaged build asks on first start; development starts on 'demo'). */
  profileChosen: z.boolean(),
  /** The https origin of the 'platform' profile's platform; null for the other profiles. */
  platformUrl: z.string().nullable(),
  /** Check for updates on start (the person may turn it off). */
  updateChecks: z.boolean(),
  /** The folder watched for the official website's downloads; null means the OS's downloads folder. */
  downloadsFolder: z.string().nullable(),
  /** History retention in years; G14 demands at least two. */
  historyRetentionYears: z.number().int().min(2).max(50),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What the Settings screen may change directly; the profile changes only through profile:choose (validated, recomposed). */
// A downloads folder is set only through main's folder picker; the screen may only reset it to the OS's (null).
export const SettingsPatchSchema = SettingsSchema.omit({ profile: true, profileChosen: true, platformUrl: true })
  .extend({ downloadsFolder: z.null() })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'zh-TW',
  theme: 'system',
  calendar: 'gregorian',
  profile: 'demo',
  profileChosen: false,
  platformUrl: null,
  updateChecks: true,
  downloadsFolder: null,
  historyRetentionYears: 2,
};

/** A profile choice: a platform's https origin is required for 'platform' and ignored otherwise. */
export const ProfileChoiceSchema = z.discriminatedUnion('profile', [
  z.object({ profile: z.literal('official') }).strict(),
  z.object({ profile: z.literal('demo') }).strict(),
  z.object({ profile: z.literal('platform'), platformUrl: z.string().min(1).max(2048) }).strict(),
]);
export type ProfileChoice = z.infer<typeof ProfileChoiceSchema>;
