// The person's language and calendar choices as plain value lists; the contract builds its zod enums from them.

export const LANGUAGES = ['zh-TW', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How dates are shown: Gregorian (西元) or the ROC calendar (民國). */
export const CALENDARS = ['gregorian', 'roc'] as const;
export type CalendarPreference = (typeof CALENDARS)[number];

/**
 * The Intl locale each language formats numbers, dates and sorting with: English is written the British way (day
 * before month, 24-hour clock), as the app's English texts are.
 */
const INTL_LOCALES: Readonly<Record<Language, string>> = { 'zh-TW': 'zh-TW', en: 'en-GB' };

export function intlLocale(language: Language): string {
  return INTL_LOCALES[language];
}
