// Dates and times of the directory screens: in the person's language and calendar (西元 or 民國), always in Taipei time.
import type { CalendarPreference, Language } from '../../../../electron/contract/index.ts';
import { formatDate } from '../../i18n/index.ts';

export const TAIPEI = 'Asia/Taipei';

function locale(language: Language, calendar: CalendarPreference): string {
  const base = language === 'zh-TW' ? 'zh-TW' : 'en-GB';
  return calendar === 'roc' ? `${base}-u-ca-roc` : `${base}-u-ca-gregory`;
}

/** The Taipei calendar date of an instant. */
export function formatDay(instant: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(new Date(instant), language, calendar, TAIPEI);
}

// Building an Intl.DateTimeFormat (with a time zone) costs far more than using one: keep one per locale.
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** Date and 24-hour time in Taipei. */
export function formatInstant(instant: string, language: Language, calendar: CalendarPreference): string {
  const key = locale(language, calendar);
  let format = instantFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(key, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: TAIPEI,
    });
    instantFormats.set(key, format);
  }
  return format.format(new Date(instant));
}

/** A calendar date given as YYYY-MM-DD (a Taipei date, e.g. the last on-time day for an announcement). */
export function formatCalendarDate(date: string, language: Language, calendar: CalendarPreference): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00+08:00` : date;
  return formatDate(new Date(day), language, calendar, TAIPEI);
}

/** An assurance level as written: 2 → "2", 2.1 → "2.1". */
export function formatLevel(level: number): string {
  return String(Math.round(level * 10) / 10);
}
