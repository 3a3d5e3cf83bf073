// Date display for history, receipts and letters: Gregorian (西元) or ROC (民國) through Intl; the renderer mirrors it.
import type { CalendarPreference, Language } from '../../contract/settings.ts';

export interface DateFormatOptions {
  language: Language;
  calendar: CalendarPreference;
  /** Taiwan's platform speaks Taipei time; tests and other zones can override. */
  timeZone?: string;
  /** Add hours and minutes (24-hour clock). */
  withTime?: boolean;
}

export const DEFAULT_TIME_ZONE = 'Asia/Taipei';

/** The BCP 47 locale the formatter uses, e.g. 'zh-TW-u-ca-roc' (the same strings the renderer builds). */
export function dateLocale(language: Language, calendar: CalendarPreference): string {
  const base = language === 'zh-TW' ? 'zh-TW' : 'en-GB';
  return `${base}-u-ca-${calendar === 'roc' ? 'roc' : 'gregory'}`;
}

const cache = new Map<string, Intl.DateTimeFormat>();

/** Formats an instant (ISO string or Date): "民國114年3月4日 13:06", "2025年3月4日", "4 March 2025, 13:06". */
export function formatDate(value: string | Date, options: DateFormatOptions): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const key = `${options.language}|${options.calendar}|${timeZone}|${options.withTime === true ? 't' : 'd'}`;
  let fmt = cache.get(key);
  if (!fmt) {
    const intl: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', timeZone };
    if (options.withTime === true) Object.assign(intl, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    fmt = new Intl.DateTimeFormat(dateLocale(options.language, options.calendar), intl);
    cache.set(key, fmt);
  }
  return fmt.format(date);
}

/** Adds whole calendar days (for the PDPA answer deadlines, which count calendar days, not working days). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
