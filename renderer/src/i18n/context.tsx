// React access to the catalogues: the current language and calendar, a typed t() and a date formatter.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { CalendarPreference, Language } from '../../../electron/contract/index.ts';
import { DEFAULT_LANGUAGE, formatDate, translate, type MessageKey, type MessageParams } from './catalogues.ts';

export interface I18n {
  readonly language: Language;
  readonly calendar: CalendarPreference;
  readonly t: (key: MessageKey, params?: MessageParams) => string;
  readonly formatDate: (date: Date) => string;
}

function makeI18n(language: Language, calendar: CalendarPreference): I18n {
  return {
    language,
    calendar,
    t: (key, params) => translate(language, key, params),
    formatDate: (date) => formatDate(date, language, calendar),
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
