// Taipei time and ROC (民國) dates: Taiwan keeps UTC+8 all year (no daylight saving since 1980), so the offset is fixed.
import { intlLocale, type CalendarPreference, type Language } from './locale.ts';

export const TAIPEI_TIME_ZONE = 'Asia/Taipei';
export const TAIPEI_OFFSET_MS = 8 * 3_600_000;
/** 民國 year = Gregorian year − 1911. */
export const ROC_YEAR_OFFSET = 1911;

type Instant = string | number | Date;

function msOf(instant: Instant): number {
  return typeof instant === 'string' ? Date.parse(instant) : typeof instant === 'number' ? instant : instant.getTime();
}

/** The Taipei wall clock of an instant as `YYYY-MM-DDTHH:mm:ss.sss` (no zone); throws RangeError on an invalid instant. */
function taipeiClock(instant: Instant): string {
  return new Date(msOf(instant) + TAIPEI_OFFSET_MS).toISOString().slice(0, 23);
}

/** The Taipei calendar day of an instant, `YYYY-MM-DD`. */
export function taipeiDay(instant: Instant): string {
  return taipeiClock(instant).slice(0, 10);
}

/** The Taipei calendar month of an instant, `YYYY-MM`. */
export function taipeiMonth(instant: Instant): string {
  return taipeiClock(instant).slice(0, 7);
}

/** `YYYY-MM-DD HH:mm` in Taipei time, for messages and gate dates; text that is not an instant is shown as it is. */
export function taipeiMinute(instant: Instant): string {
  if (Number.isNaN(msOf(instant))) return String(instant);
  return taipeiClock(instant).slice(0, 16).replace('T', ' ');
}

/** Digits only, `YYYYMMDDHHmmss` in Taipei time (the official website's file-name stamp). */
export function taipeiStamp(instant: Instant): string {
  return taipeiClock(instant).replace(/[-:T]/g, '').slice(0, 14);
}

/** Whole days since 1970-01-01 counted in Taipei (the calendar arithmetic's day number). */
export function taipeiDayNumber(ms: number): number {
  return Math.floor((ms + TAIPEI_OFFSET_MS) / 86_400_000);
}

/** Noon in Taipei on a `YYYY-MM-DD` day: an instant that is that day in every calendar formatter. */
export function taipeiNoon(day: string): Date {
  return new Date(`${day}T12:00:00+08:00`);
}

/** The BCP 47 locale for dates, e.g. 'zh-TW-u-ca-roc': 民國 years come from Intl's 'roc' calendar. */
export function dateLocale(language: Language, calendar: CalendarPreference): string {
  return `${intlLocale(language)}-u-ca-${calendar === 'roc' ? 'roc' : 'gregory'}`;
}

export interface DateFormatOptions {
  language: Language;
  calendar: CalendarPreference;
  /** Taipei unless given; tests and other zones can override, `null` uses the machine's own zone. */
  timeZone?: string | null;
  /** Add hours and minutes (24-hour clock). */
  withTime?: boolean;
  /** Year and month only. */
  monthOnly?: boolean;
}

// Building an Intl.DateTimeFormat (with a time zone) costs far more than using one: keep one per combination.
const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant in the person's language and calendar: "民國114年3月4日 13:06", "2025年3月4日", "March 2025". */
export function formatDate(value: Instant, options: DateFormatOptions): string {
  const date = new Date(msOf(value));
  if (Number.isNaN(date.getTime())) return String(value);
  const timeZone = options.timeZone === undefined ? TAIPEI_TIME_ZONE : options.timeZone;
  const precision = options.monthOnly === true ? 'month' : options.withTime === true ? 'minute' : 'day';
  const locale = dateLocale(options.language, options.calendar);
  const key = `${locale}|${timeZone ?? ''}|${precision}`;
  let format = formats.get(key);
  if (!format) {
    const intl: Intl.DateTimeFormatOptions = precision === 'month' ? { year: 'numeric', month: 'long' } : { year: 'numeric', month: 'long', day: 'numeric' };
    if (timeZone !== null) intl.timeZone = timeZone;
    if (precision === 'minute') Object.assign(intl, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    format = new Intl.DateTimeFormat(locale, intl);
    formats.set(key, format);
  }
  return format.format(date);
}

/** Adds whole calendar days (the PDPA answer deadlines count calendar days, not working days). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** A Gregorian `YYYY-MM-DD` as ROC `yyyMMdd` (three-digit year), the compact form the providers' files use. */
export function rocCompact(iso: string): string {
  return `${String(Number(iso.slice(0, 4)) - ROC_YEAR_OFFSET).padStart(3, '0')}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}
