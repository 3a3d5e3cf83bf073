// React access to the catalogues: the current language and calendar, a typed t(), a date formatter, and bilingual text
// and lists in the current language.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { CalendarPreference, Language } from '../../../electron/contract/index.ts';
import { DEFAULT_LANGUAGE, formatDate, joinList, pick, pickField, translate, type Bilingual, type MessageKey, type MessageParams } from './catalogues.ts';

export interface I18n {
  readonly language: Language;
  readonly calendar: CalendarPreference;
  readonly t: (key: MessageKey, params?: MessageParams) => string;
  readonly formatDate: (date: Date) => string;
  /** Bilingual text in the current language. */
  readonly pick: (text: Bilingual) => string;
  /** A wire object's `<key>_zh` / `<key>_en` in the current language. */
  readonly pickField: <K extends string, O extends { readonly [P in `${K}_zh` | `${K}_en`]: unknown }>(o: O, key: K) => O[`${K}_zh` | `${K}_en`];
  /** Names joined as the current language writes a list. */
  readonly list: (items: readonly string[]) => string;
}

function makeI18n(language: Language, calendar: CalendarPreference): I18n {
  return {
    language,
    calendar,
    t: (key, params) => translate(language, key, params),
    formatDate: (date) => formatDate(date, language, calendar),
    pick: (text) => pick(language, text),
    pickField: (o, key) => pickField(language, o, key),
    list: (items) => joinList(language, items),
  };
}

const I18nContext = createContext<I18n>(makeI18n(DEFAULT_LANGUAGE, 'gregorian'));

export function I18nProvider(props: { language: Language; calendar: CalendarPreference; children: ReactNode }) {
  const value = useMemo(() => makeI18n(props.language, props.calendar), [props.language, props.calendar]);
  return <I18nContext value={value}>{props.children}</I18nContext>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
