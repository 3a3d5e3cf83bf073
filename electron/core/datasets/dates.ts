// Dates in dataset files: ROC yyyMMdd (民國, e.g. 0691010 = 1980-10-10), ROC with separators (100-01-01), ISO dates and timestamps.
import type { DateValue } from '../../contract/datasets.ts';
import { ROC_YEAR_OFFSET, taipeiDay } from '../../common/time.ts';


function isoOf(year: number, month: number, day: number): string | null {
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Rejects days past the month's end (0690231) instead of rolling them over.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** ROC yyyMMdd (also yyMMdd for years before 民國 100) to a Gregorian YYYY-MM-DD; null for blanks, zeros or impossible days. */
export function rocCompactToIso(raw: string): string | null {
  const s = raw.trim();
  if (!/^\d{6,7}$/.test(s) || /^0+$/.test(s)) return null;
  const year = Number(s.slice(0, -4));
  return isoOf(year + ROC_YEAR_OFFSET, Number(s.slice(-4, -2)), Number(s.slice(-2)));
}

/**
 * Reads a date as a file writes it: ROC compact (in a column known to hold dates), ROC or Gregorian with `-`, `/` or
 * `.` separators (a year below 1000 is ROC), or an ISO timestamp (its Taipei calendar day). Null when it is none.
 */
export function parseDate(raw: string): DateValue | null {
  const s = raw.trim();
  if (s === '' || s === 'N/A') return null;
  const compact = rocCompactToIso(s);
  if (compact) return { raw: s, iso: compact };
  const sep = /^(\d{2,4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (sep) {
    const y = Number(sep[1]);
    const iso = isoOf(y < 1000 ? y + ROC_YEAR_OFFSET : y, Number(sep[2]), Number(sep[3]));
    return iso ? { raw: s, iso } : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : { raw: s, iso: taipeiDay(t) };
  }
  return null;
}

/** A value in a date column: a date when it reads as one, else null (the raw text is still shown by the caller). */
export function dateOrNull(value: unknown): DateValue | null {
  return typeof value === 'string' ? parseDate(value) : null;
}
