// Dates and times of the directory screens: in the person's language and calendar (西元 or 民國), always in Taipei time.
import type { CalendarPreference, Language } from '../../../../electron/contract/index.ts';
import { formatDate, taipeiNoon } from '../../../../electron/common/time.ts';

/** Date and 24-hour time in Taipei. */
export function formatInstant(instant: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(instant, { language, calendar, withTime: true });
}

/** A calendar date given as YYYY-MM-DD (a Taipei date, e.g. the last on-time day for an announcement). */
export function formatCalendarDate(date: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(/^\d{4}-\d{2}-\d{2}$/.test(date) ? taipeiNoon(date) : date, { language, calendar });
}

/** An assurance level as written: 2 → "2", 2.1 → "2.1". */
export function formatLevel(level: number): string {
  return String(Math.round(level * 10) / 10);
}
