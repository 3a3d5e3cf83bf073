// Pure formatting for the dataset views: dates in 民國 and Gregorian together, NT$ amounts, durations, table sorting and search.
import type { Cell, DateValue, GenericTable, Language } from '../../../../electron/contract/index.ts';
import { intlLocale } from '../../../../electron/common/locale.ts';
import { bothCalendars } from '../../i18n/calendars.ts';

/** Both calendars, the person's language first: 「民國77年3月14日（1988年3月14日）」 or "14 March 1988 (ROC 77)". */
export function formatBothCalendars(iso: string, language: Language): string {
  // A YYYY-MM-DD is a calendar day, not an instant: read at UTC midnight so no zone moves it.
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return bothCalendars(language, date);
}

/** A date value as shown: both calendars when it could be read, otherwise the text the file wrote. */
export function showDate(value: DateValue | null, language: Language): string {
  if (!value) return '';
  return value.iso ? formatBothCalendars(value.iso, language) : value.raw;
}

const amounts = new Map<string, Intl.NumberFormat>();
/** An amount with thousands separators (NT$ in the labels, not repeated in every cell). */
export function formatAmount(n: number, language: Language): string {
  const locale = intlLocale(language);
  let f = amounts.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    amounts.set(locale, f);
  }
  return f.format(n);
}

/** Days as years, months and days (a year is 365 days, a month 30: a reading aid, not an insurance calculation). */
export function splitDays(days: number): { years: number; months: number; days: number } {
  const years = Math.floor(days / 365);
  const rest = days - years * 365;
  return { years, months: Math.floor(rest / 30), days: rest - Math.floor(rest / 30) * 30 };
}

export type SortState = { column: number; direction: 'ascending' | 'descending' } | null;

function compareCells(a: Cell | undefined, b: Cell | undefined, collator: Intl.Collator): number {
  if (a?.date && b?.date) return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  if (a?.number !== null && a?.number !== undefined && b?.number !== null && b?.number !== undefined) return a.number - b.number;
  return collator.compare(a?.text ?? '', b?.text ?? '');
}

/** Rows matching every word of the query (case-insensitive, any column), sorted by one column; stable. */
export function visibleRows(table: GenericTable, query: string, sort: SortState, language: Language): Cell[][] {
  const words = query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const rows = words.length === 0 ? table.rows : table.rows.filter((r) => {
    const text = r.map((c) => c.text).join('\u0000').toLocaleLowerCase();
    return words.every((w) => text.includes(w));
  });
  if (!sort) return rows;
  const collator = new Intl.Collator(intlLocale(language), { numeric: true });
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => sign * compareCells(x.row[sort.column], y.row[sort.column], collator) || x.i - y.i)
    .map((x) => x.row);
}
