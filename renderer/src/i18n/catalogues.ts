// Message catalogues by language, interpolation and date formatting: pure functions, no React.
import type { CalendarPreference, Language } from '../../../electron/contract/index.ts';
import { zhTW, type Catalogue, type MessageKey } from './zh-TW.ts';
import { formatDate as formatCalendar } from '../../../electron/common/time.ts';

export type { Catalogue, MessageKey };

/**
 * zh-TW, the default, ships in the initial bundle; English loads when first needed (the initial JavaScript budget):
 * the settings provider renders in English only once loadCatalogue('en') is done, and loads it after start anyway.
 */
const loaded: { [L in Language]?: Catalogue } = { 'zh-TW': zhTW };

export function isCatalogueLoaded(language: Language): boolean {
  return loaded[language] !== undefined;
}

/** Loads a language's catalogue (once); translate() uses it from then on. */
export async function loadCatalogue(language: Language): Promise<Catalogue> {
  const have = loaded[language];
  if (have) return have;
  const { en } = await import('./en.ts');
  loaded.en = en;
  return en;
}

/** Whether `key` names a message (every catalogue has the same keys). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(zhTW, key);
}

export const DEFAULT_LANGUAGE: Language = 'zh-TW';

/** The other language, shown second where both must appear (AppError messages). */
export function otherLanguage(language: Language): Language {
  return language === 'zh-TW' ? 'en' : 'zh-TW';
}

export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Looks a message up and fills its {name} placeholders; a placeholder without a value stays visible. A language
 * whose catalogue is not loaded yet (see loadCatalogue) reads as zh-TW.
 */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const template = (loaded[language] ?? zhTW)[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The {name} placeholders a message uses, for checking that translations keep them. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

/** A calendar date in the user's language and calendar; without a time zone, in the machine's own. */
export function formatDate(date: Date, language: Language, calendar: CalendarPreference, timeZone?: string): string {
  return formatCalendar(date, { language, calendar, timeZone: timeZone ?? null });
}
