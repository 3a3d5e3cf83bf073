// Settings as the renderer sees them: the persisted preferences of ARCHITECTURE §8.
import { z } from 'zod';

export const LanguageSchema = z.enum(['zh-TW', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/** 'system' follows the OS (prefers-color-scheme / forced-colors); the others are explicit choices. */
export const ThemeSchema = z.enum(['system', 'light', 'dark', 'high-contrast']);
export type Theme = z.infer<typeof ThemeSchema>;

/** How dates are shown: Gregorian (西元) or the ROC calendar (民國). */
export const CalendarSchema = z.enum(['gregorian', 'roc']);
export type CalendarPreference = z.infer<typeof CalendarSchema>;

export const ProfileSchema = z.enum(['sandbox', 'platform']);
export type Profile = z.infer<typeof ProfileSchema>;

export const SettingsSchema = z.object({
  language: LanguageSchema,
  theme: ThemeSchema,
  calendar: CalendarSchema,
  profile: ProfileSchema,
  /** History retention in years; G14 demands at least two. */
  historyRetentionYears: z.number().int().min(2).max(50),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'zh-TW',
  theme: 'system',
  calendar: 'gregorian',
  profile: 'sandbox',
  historyRetentionYears: 2,
};
