// Message catalogues by language, interpolation and date formatting: pure functions, no React.
import type { CalendarPreference, Language } from '../../../electron/contract/index.ts';
import { zhTWStart } from './zh-TW.start.ts';
import type { Catalogue, MessageKey } from './zh-TW.ts';
import { formatDate as formatCalendar } from '../../../electron/common/time.ts';
import { fieldIn, listIn, textIn } from '../../../electron/common/bilingual.ts';

export type { Catalogue, MessageKey };

/**
 * The entry bundle carries only the zh-TW messages of the first screen (the shell and home); the rest of zh-TW loads
 * with the first later screen (lazyWithMessages), and English loads when first needed (the initial JavaScript
 * budget). The settings provider renders in English only once loadCatalogue('en') is done.
 */
const loaded: { [L in Language]?: Catalogue } = {};
const start: Partial<Catalogue> = zhTWStart;

/** Whether the language can be shown: zh-TW always (its first screen's messages are in the entry bundle). */
export function isCatalogueLoaded(language: Language): boolean {
  return language === 'zh-TW' || loaded[language] !== undefined;
}

const loading = new Map<Language, Promise<Catalogue>>();

/** Loads a language's whole catalogue (once); translate() uses it from then on. */
export function loadCatalogue(language: Language): Promise<Catalogue> {
  const have = loaded[language];
  if (have) return Promise.resolve(have);
  // One request per language, however many lazy screens ask at once; a failed one may be asked again.
  let pending = loading.get(language);
  if (!pending) {
    pending = (language === 'en' ? import('./en.ts').then((m) => m.en) : import('./zh-TW.ts').then((m) => m.zhTW)).then(
      (catalogue) => {
        loaded[language] = catalogue;
        return catalogue;
      },
      (error: unknown) => {
        loading.delete(language);
        throw error;
      },
    );
    loading.set(language, pending);
  }
  return pending;
}

/** Whether `key` names a message (every catalogue has the same keys); knows every key once zh-TW is loaded whole. */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(loaded['zh-TW'] ?? start, key);
}

export const DEFAULT_LANGUAGE: Language = 'zh-TW';

/** The other language, shown second where both must appear (AppError messages). */
export function otherLanguage(language: Language): Language {
  return language === 'zh-TW' ? 'en' : 'zh-TW';
}

export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * `{count, plural, one {# record} other {# records}}`: the ICU plural form, the subset we need. Branches are
 * `=N` or a CLDR category and may hold `{name}` placeholders; `#` is the number. Chinese has no plural forms, so the
 * zh-TW catalogue writes `{count}` and only languages that inflect use this.
 */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const BRANCH = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;

// One Intl.PluralRules per language: building one costs more than asking it.
const pluralRules = new Map<Language, Intl.PluralRules>();

function pluralCategory(language: Language, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(n);
}

function fillPlurals(language: Language, template: string, params: MessageParams): string {
  return template.replace(PLURAL, (whole, name: string, body: string) => {
    const value = params[name];
    const n = typeof value === 'number' ? value : Number(value);
    if (value === undefined || !Number.isFinite(n)) return whole;
    const branches = new Map([...body.matchAll(BRANCH)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const text = branches.get(`=${n}`) ?? branches.get(pluralCategory(language, n)) ?? branches.get('other') ?? whole;
    return text.replaceAll('#', String(value));
  });
}

/**
 * Looks a message up, chooses its plural forms (Intl.PluralRules for the language) and fills its {name}
 * placeholders; a placeholder without a value stays visible. A language whose catalogue is not loaded yet (see
 * loadCatalogue) reads as zh-TW; a key of a later screen asked before zh-TW is loaded whole reads as the key itself
 * (a test keeps the first screen to the messages of the entry bundle).
 */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const template = loaded[language]?.[key] ?? loaded['zh-TW']?.[key] ?? start[key] ?? key;
  if (!params) return template;
  return fillPlurals(language, template, params).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The {name} placeholders a message uses (a plural's number counts as one), for checking that translations keep them. */
export function placeholders(template: string): string[] {
  const names = new Set<string>();
  const rest = template.replace(PLURAL, (_whole, name: string, body: string) => {
    names.add(name);
    for (const branch of body.matchAll(BRANCH)) for (const m of (branch[2] ?? '').matchAll(/\{(\w+)\}/g)) names.add(m[1] ?? '');
    return '';
  });
  for (const m of rest.matchAll(/\{(\w+)\}/g)) names.add(m[1] ?? '');
  return [...names].sort();
}

/** Bilingual text as core and the platform send it: both languages, the screen shows one. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** The text in `language`. */
export function pick(language: Language, text: Bilingual): string {
  return textIn(text, language);
}

/** `o.<key>_zh` or `o.<key>_en`: the platform's wire objects name their two languages with suffixes. */
export function pickField<K extends string, O extends { readonly [P in `${K}_zh` | `${K}_en`]: unknown }>(language: Language, o: O, key: K): O[`${K}_zh` | `${K}_en`] {
  return fieldIn(language, o, key);
}

/** A list of names as the language writes it: the ideographic comma in Chinese, a comma in English. */
export function joinList(language: Language, items: readonly string[]): string {
  return listIn(language, items);
}

/** A calendar date in the user's language and calendar; without a time zone, in the machine's own. */
export function formatDate(date: Date, language: Language, calendar: CalendarPreference, timeZone?: string): string {
  return formatCalendar(date, { language, calendar, timeZone: timeZone ?? null });
}
