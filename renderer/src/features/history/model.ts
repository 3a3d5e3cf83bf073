// Pure helpers of the history screen: Taipei dates in the person's calendar, filter ↔ query, names, chart geometry.
import type {
  CalendarPreference,
  HistoryFilter,
  HistoryRecipient,
  Language,
} from '../../../../electron/contract/index.ts';
import { formatDate, taipeiNoon } from '../../../../electron/common/time.ts';

/** Date and 24-hour time in Taipei: "民國114年3月4日 13:06", "4 March 2025 at 13:06". */
export function formatInstant(instant: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(instant, { language, calendar, withTime: true });
}

/** The Taipei calendar date of an instant. */
export function formatDay(instant: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(instant, { language, calendar });
}

/** A YYYY-MM month: "民國114年3月", "2025年3月", "March 2025". */
export function formatMonth(month: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(`${month}-15T12:00:00+08:00`, { language, calendar, monthOnly: true });
}

/** A YYYY-MM-DD date input's value as that day in the person's calendar. */
export function formatDateInput(value: string, language: Language, calendar: CalendarPreference): string {
  return formatDate(taipeiNoon(value), { language, calendar });
}

/** The Taipei calendar day (YYYY-MM-DD) of an instant: the timeline's grouping key. */
export { taipeiDay } from '../../../../electron/common/time.ts';

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

/** A name in the person's language. */
export { textIn as localName } from '../../../../electron/common/bilingual.ts';

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
