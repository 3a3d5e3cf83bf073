// Pure formatting for the My data screen: sizes, rates, time left and instants in the UI language.
import type { Language } from '../../../../electron/contract/index.ts';
import { intlLocale } from '../../../../electron/common/locale.ts';
import { translate } from '../../i18n/index.ts';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${UNITS[unit] ?? 'B'}`;
}

/** "3 s", "2 min 5 s", "1 h 4 min" in the catalogue's words. */
export function formatDuration(seconds: number, language: Language): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return translate(language, 'mydata.duration.hours', { h, m });
  if (m > 0) return translate(language, 'mydata.duration.minutes', { m, s: rest });
  return translate(language, 'mydata.duration.seconds', { s: rest });
}

export function formatInstant(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
