// Working days on the government office calendar (行政院人事行政總處 政府行政機關辦公日曆表, G13): pure date arithmetic.
import { z } from 'zod';
import { AppFailure } from '../../contract/errors.ts';
import { InstantSchema } from '../../contract/platform.ts';
import { ROC_YEAR_OFFSET, taipeiDayNumber } from '../../common/time.ts';
import calendar2024 from '../../../resources/calendar/2024.json' with { type: 'json' };
import calendar2025 from '../../../resources/calendar/2025.json' with { type: 'json' };
import calendar2026 from '../../../resources/calendar/2026.json' with { type: 'json' };

/** A calendar date in Asia/Taipei, `YYYY-MM-DD`. */
export type CalendarDate = string;
/** A calendar date (`YYYY-MM-DD`, already Taipei), an ISO timestamp with offset, or an instant. */
export type DateInput = string | Date;
/** `exact`: every day counted lies in a year with a published calendar; `estimate`: weekends only for some year. */
export type Exactness = 'exact' | 'estimate';

export const CalendarErrorCode = {
  INVALID_DATE: 'CALENDAR_INVALID_DATE',
  INVALID_DATA: 'CALENDAR_INVALID_DATA',
} as const;

const DAY_MS = 86_400_000;
// 1970-01-05 was a Monday: the anchor for counting weekdays by arithmetic.
const A_MONDAY = 4;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------- calendar files

const NamedDateSchema = z
  .object({ date: z.iso.date(), name_zh: z.string().min(1), name_en: z.string().min(1) })
  .strict();

const CalendarFileShape = z
  .object({
    schemaVersion: z.literal(1),
    year: z.number().int().min(1912).max(9999),
    rocYear: z.number().int().positive(),
    source: z
      .object({
        publisher: z.string().min(1),
        title: z.string().min(1),
        documents: z.array(z.string().min(1)).min(1),
        dataset: z.string().min(1),
      })
      .strict(),
    revision: z.number().int().positive(),
    daysOff: z.number().int().nonnegative(),
    holidays: z.array(NamedDateSchema),
    makeUpWorkdays: z.array(NamedDateSchema),
  })
  .strict();

/** One year's published calendar file (`resources/calendar/<year>.json`), checked for internal consistency. */
export const OfficeCalendarFileSchema = CalendarFileShape.superRefine((file, ctx) => {
  for (const problem of calendarFileProblems(file)) ctx.addIssue({ code: 'custom', message: problem });
});
export type OfficeCalendarFile = z.infer<typeof OfficeCalendarFileSchema>;
export type NamedDate = z.infer<typeof NamedDateSchema>;

function calendarFileProblems(file: z.infer<typeof CalendarFileShape>): string[] {
  const problems: string[] = [];
  if (file.rocYear !== file.year - ROC_YEAR_OFFSET) problems.push(`rocYear ${file.rocYear} is not year ${file.year} − 1911`);
  const seen = new Set<string>();
  const check = (entry: NamedDate, list: string) => {
    if (seen.has(entry.date)) problems.push(`${entry.date} is listed twice`);
    seen.add(entry.date);
    if (!entry.date.startsWith(`${file.year}-`)) problems.push(`${list} ${entry.date} is outside ${file.year}`);
  };
  for (const h of file.holidays) {
    check(h, 'holiday');
    // The calendar lists weekend days off implicitly; a listed weekend "holiday" would be double-counted.
    if (isWeekend(dayNumberOf(h.date))) problems.push(`holiday ${h.date} falls on a weekend`);
  }
  for (const m of file.makeUpWorkdays) {
    check(m, 'make-up workday');
    if (weekdayOf(dayNumberOf(m.date)) !== 6) problems.push(`make-up workday ${m.date} is not a Saturday`);
  }
  const computed = weekendDaysInYear(file.year) + file.holidays.length - file.makeUpWorkdays.length;
  if (computed !== file.daysOff) problems.push(`daysOff ${file.daysOff} but the lists give ${computed}`);
  return problems;
}

// ---------------------------------------------------------------- loaded calendar

export interface PublishedYear {
  readonly year: number;
  readonly revision: number;
  readonly daysOff: number;
  readonly source: OfficeCalendarFile['source'];
  /** Weekday holidays by day number. */
  readonly holidays: ReadonlyMap<number, NamedDate>;
  /** Make-up working Saturdays by day number. */
  readonly makeUpWorkdays: ReadonlyMap<number, NamedDate>;
}

export interface OfficeCalendar {
  readonly years: ReadonlyMap<number, PublishedYear>;
}

/** Validates calendar files (the parsed JSON objects) and indexes them; throws CALENDAR_INVALID_DATA. */
export function loadOfficeCalendar(files: readonly unknown[]): OfficeCalendar {
  const years = new Map<number, PublishedYear>();
  for (const raw of files) {
    const parsed = OfficeCalendarFileSchema.safeParse(raw);
    if (!parsed.success) throw invalidCalendarData(z.prettifyError(parsed.error));
    const file = parsed.data;
    if (years.has(file.year)) throw invalidCalendarData(`two calendar files for ${file.year}`);
    years.set(file.year, {
      year: file.year,
      revision: file.revision,
      daysOff: file.daysOff,
      source: file.source,
      holidays: new Map(file.holidays.map((h) => [dayNumberOf(h.date), h])),
      makeUpWorkdays: new Map(file.makeUpWorkdays.map((m) => [dayNumberOf(m.date), m])),
    });
  }
  return { years };
}

/** Years the calendar covers from a published source, ascending. */
export function publishedYears(calendar: OfficeCalendar = officeCalendar): number[] {
  return [...calendar.years.keys()].sort((a, b) => a - b);
}

// ---------------------------------------------------------------- dates

/**
 * The Asia/Taipei calendar date of an input. A bare `YYYY-MM-DD` is taken as already being a Taipei date;
 * a timestamp must carry its offset (or Z) and is converted. The machine's own time zone is never used.
 */
export function toCalendarDate(input: DateInput): CalendarDate {
  return formatDayNumber(toDayNumber(input));
}

/** The calendar date `days` days after `date` (negative: before). */
export function addCalendarDays(date: DateInput, days: number): CalendarDate {
  return formatDayNumber(toDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday, of the Taipei date. */
export function weekdayOfDate(date: DateInput): number {
  return weekdayOf(toDayNumber(date));
}

function toDayNumber(input: DateInput): number {
  if (input instanceof Date) return dayNumberOfInstant(input.getTime(), String(input));
  if (ISO_DATE.test(input)) return dayNumberOf(input);
  if (InstantSchema.safeParse(input).success) return dayNumberOfInstant(Date.parse(input), input);
  throw invalidDate(input);
}

function dayNumberOfInstant(ms: number, shown: string): number {
  if (!Number.isFinite(ms)) throw invalidDate(shown);
  return taipeiDayNumber(ms);
}

function dayNumberOf(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw invalidDate(date);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 02-30 over into March; a round trip catches it. Years 0–99 are mapped to 1900s by Date.UTC.
  const back = new Date(ms);
  if (y < 100 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw invalidDate(date);
  }
  return ms / DAY_MS;
}

function formatDayNumber(day: number): CalendarDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** Mondays–Fridays from A_MONDAY to `day` (negative before it); differences give weekdays in a range. */
function weekdayIndex(day: number): number {
  const k = day - A_MONDAY;
  const weeks = Math.floor(k / 7);
  return 5 * weeks + Math.min(k - 7 * weeks + 1, 5);
}

function weekendDaysInYear(year: number): number {
  const first = Date.UTC(year, 0, 1) / DAY_MS;
  const last = Date.UTC(year, 11, 31) / DAY_MS;
  const days = last - first + 1;
  return days - (weekdayIndex(last) - weekdayIndex(first - 1));
}

// ---------------------------------------------------------------- working days

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'make-up-workday';

export interface DayInfo {
  readonly date: CalendarDate;
  readonly working: boolean;
  readonly reason: DayReason;
  /** The published name of a holiday or make-up workday. */
  readonly name?: { readonly zh: string; readonly en: string };
  /** `estimate` when the year has no published calendar (only weekends are known to be off). */
  readonly exactness: Exactness;
}

/** Why a date is or is not a working day on the government office calendar. */
export function describeDay(date: DateInput, calendar: OfficeCalendar = officeCalendar): DayInfo {
  const day = toDayNumber(date);
  const published = calendar.years.get(yearOf(day));
  const base = { date: formatDayNumber(day), exactness: published ? 'exact' : 'estimate' } as const;
  const holiday = published?.holidays.get(day);
  if (holiday) return { ...base, working: false, reason: 'holiday', name: { zh: holiday.name_zh, en: holiday.name_en } };
  const makeUp = published?.makeUpWorkdays.get(day);
  if (makeUp) return { ...base, working: true, reason: 'make-up-workday', name: { zh: makeUp.name_zh, en: makeUp.name_en } };
  return isWeekend(day) ? { ...base, working: false, reason: 'weekend' } : { ...base, working: true, reason: 'weekday' };
}

/** True on a working day: a weekday that is not a holiday, or a make-up working Saturday. */
export function isWorkingDay(date: DateInput, calendar: OfficeCalendar = officeCalendar): boolean {
  return describeDay(date, calendar).working;
}

export interface WorkingDayCount {
  readonly days: number;
  readonly exactness: Exactness;
  /** Years among the counted days that have no published calendar (weekends only were counted as off). */
  readonly yearsWithoutCalendar: readonly number[];
}

/**
 * Working days d with from < d ≤ to (Taipei dates): the day `from` itself is not counted, `to` is.
 * When to < from the result is the negated count for (to, from], so that
 * workingDaysBetween(a, b) + workingDaysBetween(b, c) = workingDaysBetween(a, c).
 */
export function workingDaysBetween(from: DateInput, to: DateInput, calendar: OfficeCalendar = officeCalendar): WorkingDayCount {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  const counted = workingDaysIn(lo, hi, calendar);
  return { days: sign * counted || 0, ...exactnessOf(lo + 1, hi, calendar) };
}

// Working days in (lo, hi]: weekdays by arithmetic, then the published exceptions inside the range.
function workingDaysIn(lo: number, hi: number, calendar: OfficeCalendar): number {
  let count = weekdayIndex(hi) - weekdayIndex(lo);
  for (const year of calendar.years.values()) {
    for (const day of year.holidays.keys()) if (day > lo && day <= hi) count -= 1;
    for (const day of year.makeUpWorkdays.keys()) if (day > lo && day <= hi) count += 1;
  }
  return count;
}

export interface WorkingDayShift {
  readonly date: CalendarDate;
  readonly exactness: Exactness;
  readonly yearsWithoutCalendar: readonly number[];
}

/**
 * n > 0: the n-th working day after `from`; n < 0: the |n|-th working day before `from`; n = 0: `from`.
 * Like a spreadsheet's WORKDAY(): for n ≥ 0, workingDaysBetween(from, result) = n; for a working `from`
 * this holds for negative n too. The result of n ≠ 0 is always a working day.
 */
export function addWorkingDays(from: DateInput, n: number, calendar: OfficeCalendar = officeCalendar): WorkingDayShift {
  if (!Number.isSafeInteger(n)) throw invalidDate(`${String(n)} working days`);
  const start = toDayNumber(from);
  const step = n < 0 ? -1 : 1;
  let day = start;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorkingDayNumber(day, calendar)) left -= 1;
  }
  // The days looked at: (start, day] going forward, [day, start) going back.
  const range = step > 0 ? exactnessOf(start + 1, day, calendar) : exactnessOf(day, start - 1, calendar);
  return { date: formatDayNumber(day), ...range };
}

function isWorkingDayNumber(day: number, calendar: OfficeCalendar): boolean {
  const published = calendar.years.get(yearOf(day));
  if (published?.holidays.has(day)) return false;
  if (published?.makeUpWorkdays.has(day)) return true;
  return !isWeekend(day);
}

function exactnessOf(first: number, last: number, calendar: OfficeCalendar): Omit<WorkingDayCount, 'days'> {
  const missing: number[] = [];
  if (first <= last) {
    for (let year = yearOf(first); year <= yearOf(last); year += 1) if (!calendar.years.has(year)) missing.push(year);
  }
  return { exactness: missing.length === 0 ? 'exact' : 'estimate', yearsWithoutCalendar: missing };
}

// ---------------------------------------------------------------- bundled data

// Last in the module: loading runs the helpers above, which need their constants initialised.
/** The calendars shipped in resources/calendar/ (2024–2026). */
export const officeCalendar: OfficeCalendar = loadOfficeCalendar([calendar2024, calendar2025, calendar2026]);

// ---------------------------------------------------------------- errors

function invalidDate(shown: string): AppFailure {
  return new AppFailure({
    code: CalendarErrorCode.INVALID_DATE,
    message_zh: `無法辨識日期「${shown}」。請使用 YYYY-MM-DD 日期，或含時區的 ISO 時間（例如 2025-01-27T09:00:00+08:00）。`,
    message_en: `"${shown}" is not a date this calendar can read. Use a YYYY-MM-DD date or an ISO timestamp with its offset (for example 2025-01-27T09:00:00+08:00).`,
    retryable: false,
  });
}

function invalidCalendarData(detail: string): AppFailure {
  return new AppFailure({
    code: CalendarErrorCode.INVALID_DATA,
    message_zh: `內建的政府行政機關辦公日曆表資料有誤，無法計算工作日：${detail}。請重新安裝或更新應用程式。`,
    message_en: `The bundled government office calendar is inconsistent, so working days cannot be counted: ${detail}. Reinstall or update the app.`,
    retryable: false,
  });
}
