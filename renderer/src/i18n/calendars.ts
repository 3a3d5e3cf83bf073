// A calendar day in both calendars, as each language writes the pair: Chinese leads with the 民國 date, English with
// the Gregorian one and names the ROC year after it. The order and the words differ by language, so they live here
// beside the catalogues rather than in a screen.
import type { CalendarPreference, Language } from '../../../electron/contract/index.ts';
import { formatDate, ROC_YEAR_OFFSET } from '../../../electron/common/time.ts';

/** `date` is a day at UTC midnight; shown in UTC so no zone moves it. */
const dayIn = (date: Date, language: Language, calendar: CalendarPreference) => formatDate(date, { language, calendar, timeZone: 'UTC' });

const BOTH: Readonly<Record<Language, (date: Date) => string>> = {
  'zh-TW': (date) => `${dayIn(date, 'zh-TW', 'roc')}（${dayIn(date, 'zh-TW', 'gregorian')}）`,
  en: (date) => {
    const rocYear = date.getUTCFullYear() - ROC_YEAR_OFFSET;
    // Years before the ROC's first are counted back (民國前, "before Minguo").
    return `${dayIn(date, 'en', 'gregorian')} (ROC ${rocYear > 0 ? String(rocYear) : `before 1 (${String(1 - rocYear)} BM)`})`;
  },
};

export function bothCalendars(language: Language, date: Date): string {
  return BOTH[language](date);
}
