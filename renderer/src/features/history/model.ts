// Pure helpers of the history screen: Taipei dates in the person's calendar, filter ↔ query, names, chart geometry.
import type {
  CalendarPreference,
  HistoryFilter,
  HistoryRecipient,
  Language,
  LocalizedName,
} from '../../../../electron/contract/index.ts';

export const TAIPEI = 'Asia/Taipei';

/** BCP 47 locale with the calendar extension: 民國 years come from Intl's 'roc' calendar (zh-TW-u-ca-roc). */
export function dateLocale(language: Language, calendar: CalendarPreference): string {
  const base = language === 'zh-TW' ? 'zh-TW' : 'en-GB';
  return `${base}-u-ca-${calendar === 'roc' ? 'roc' : 'gregory'}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: Language, calendar: CalendarPreference, kind: 'day' | 'instant' | 'month'): Intl.DateTimeFormat {
  const key = `${language}|${calendar}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'month'
        ? { year: 'numeric', month: 'long', timeZone: TAIPEI }
        : { year: 'numeric', month: 'long', day: 'numeric', timeZone: TAIPEI };
    if (kind === 'instant') Object.assign(options, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    f = new Intl.DateTimeFormat(dateLocale(language, calendar), options);
    formatters.set(key, f);
  }
  return f;
}

/** Date and 24-hour time in Taipei: "民國114年3月4日 13:06", "4 March 2025 at 13:06". */
export function formatInstant(instant: string, language: Language, calendar: CalendarPreference): string {
  return formatter(language, calendar, 'instant').format(new Date(instant));
}

/** The Taipei calendar date of an instant. */
export function formatDay(instant: string, language: Language, calendar: CalendarPreference): string {
  return formatter(language, calendar, 'day').format(new Date(instant));
}

/** A YYYY-MM month: "民國114年3月", "2025年3月", "March 2025". */
export function formatMonth(month: string, language: Language, calendar: CalendarPreference): string {
  return formatter(language, calendar, 'month').format(new Date(`${month}-15T12:00:00+08:00`));
}

/** A YYYY-MM-DD date input's value as that day in the person's calendar. */
export function formatDateInput(value: string, language: Language, calendar: CalendarPreference): string {
  return formatDay(`${value}T12:00:00+08:00`, language, calendar);
}

/** The Taipei calendar day (YYYY-MM-DD) of an instant: the timeline's grouping key. Taiwan keeps UTC+8 all year. */
export function taipeiDay(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** What the filter form holds: '' means "all". Dates are Taipei calendar days (YYYY-MM-DD), both inclusive. */
export interface FilterForm {
  from: string;
  until: string;
  recipient: string;
  provider: string;
  dataset: string;
  result: '' | 'success' | 'failure' | 'refused' | 'partial';
  subject_type: '' | 'natural' | 'legal';
}

export const EMPTY_FILTER: FilterForm = { from: '', until: '', recipient: '', provider: '', dataset: '', result: '', subject_type: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The form as the IPC filter: `from` at 00:00 Taipei, `until` exclusive at 00:00 Taipei the day after. */
export function toFilter(form: FilterForm): HistoryFilter {
  const filter: HistoryFilter = {};
  if (DAY.test(form.from)) filter.from = `${form.from}T00:00:00+08:00`;
  if (DAY.test(form.until)) filter.until = `${nextDay(form.until)}T00:00:00+08:00`;
  if (form.recipient !== '') filter.recipient = form.recipient;
  if (form.provider !== '') filter.provider = form.provider;
  if (form.dataset !== '') filter.dataset = form.dataset;
  if (form.result !== '') filter.result = form.result;
  if (form.subject_type !== '') filter.subject_type = form.subject_type;
  return filter;
}

export function isFiltered(form: FilterForm): boolean {
  return Object.values(form).some((v) => v !== '');
}

export function localName(name: LocalizedName, language: Language): string {
  return language === 'zh-TW' ? name.zh : name.en;
}

/** The recipient's key as the query and the directory know it: 'self' or the provider's id. */
export function recipientId(r: HistoryRecipient): string {
  return r.kind === 'self' ? 'self' : r.id;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Vertical bars across `width`, scaled to the largest value, with a gap between bars; heights are whole SVG units. */
export function columnBars(values: readonly number[], width: number, height: number, gap = 4): Bar[] {
  const max = Math.max(1, ...values);
  const slot = values.length === 0 ? 0 : width / values.length;
  return values.map((v, i) => {
    const h = Math.round((v / max) * height);
    return { x: i * slot + gap / 2, y: height - h, width: Math.max(1, slot - gap), height: h };
  });
}

/** Horizontal bar lengths scaled to the largest value. */
export function rowLengths(values: readonly number[], width: number): number[] {
  const max = Math.max(1, ...values);
  return values.map((v) => Math.max(v > 0 ? 2 : 0, Math.round((v / max) * width)));
}
