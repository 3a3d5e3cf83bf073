// Every shipped office-calendar file checked on its own terms, by plain day-by-day counting (G13).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOfficeCalendar } from '../../../electron/core/notices/calendar.ts';

const dir = join(import.meta.dirname, '../../../resources/calendar');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

interface Entry { date: string; name_zh: string; name_en: string }
interface CalendarFile {
  schemaVersion: number; year: number; rocYear: number; revision: number; daysOff: number;
  source: { publisher: string; title: string; documents: string[]; dataset: string };
  holidays: Entry[]; makeUpWorkdays: Entry[];
}

const utcWeekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isRealDate = (date: string) => /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);

function daysOffByCounting(file: CalendarFile): number {
  const holidays = new Set(file.holidays.map((h) => h.date));
  const makeUp = new Set(file.makeUpWorkdays.map((m) => m.date));
  let off = 0;
  for (let d = new Date(Date.UTC(file.year, 0, 1)); d.getUTCFullYear() === file.year; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    if (holidays.has(iso) || (weekend && !makeUp.has(iso))) off += 1;
  }
  return off;
}

describe('resources/calendar', () => {
  it('ships one file per year 2024–2026, named after its year', () => {
    expect(files).toEqual(['2024.json', '2025.json', '2026.json']);
  });

  describe.each(files)('%s', (name) => {
    const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CalendarFile;

    it('names its year, ROC year and published source', () => {
      expect(file.schemaVersion).toBe(1);
      expect(`${file.year}.json`).toBe(name);
      expect(file.rocYear).toBe(file.year - 1911);
      expect(file.source.publisher).toBe('行政院人事行政總處');
      expect(file.source.title).toBe('政府行政機關辦公日曆表');
      expect(file.source.dataset).toBe('data.gov.tw 14718');
      expect(file.source.documents.length).toBeGreaterThan(0);
      for (const doc of file.source.documents) expect(doc).toMatch(/^行政院 \d{3}-\d{2}-\d{2} 院授人培字第\d+號函/);
    });

    it('holds only real dates inside its year, each with both names', () => {
      for (const e of [...file.holidays, ...file.makeUpWorkdays]) {
        expect(isRealDate(e.date), e.date).toBe(true);
        expect(e.date.slice(0, 4)).toBe(String(file.year));
        expect(e.name_zh.trim()).not.toBe('');
        expect(e.name_en.trim()).not.toBe('');
      }
    });

    it('lists no holiday on a weekend and no date twice', () => {
      for (const h of file.holidays) expect([0, 6], h.date).not.toContain(utcWeekday(h.date));
      const all = [...file.holidays, ...file.makeUpWorkdays].map((e) => e.date);
      expect(new Set(all).size).toBe(all.length);
    });

    it('has make-up working days only on Saturdays', () => {
      for (const m of file.makeUpWorkdays) expect(utcWeekday(m.date), m.date).toBe(6);
    });

    it('declares the number of days off that its lists give', () => {
      expect(daysOffByCounting(file)).toBe(file.daysOff);
    });

    it('passes the loader', () => {
      expect(loadOfficeCalendar([file]).years.get(file.year)?.daysOff).toBe(file.daysOff);
    });
  });
});
