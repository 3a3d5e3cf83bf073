// Working-day arithmetic on the government office calendar (G13): published totals, known dates, properties.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import {
  addCalendarDays,
  addWorkingDays,
  describeDay,
  isWorkingDay,
  loadOfficeCalendar,
  officeCalendar,
  publishedYears,
  toCalendarDate,
  weekdayOfDate,
  workingDaysBetween,
} from '../../../electron/core/notices/calendar.ts';
import file2025 from '../../../resources/calendar/2025.json' with { type: 'json' };

// The published totals (office-calendar-facts.md): days off per year, weekends included.
const PUBLISHED_DAYS_OFF: Record<number, number> = { 2024: 115, 2025: 118, 2026: 120 };
const MAKE_UP_SATURDAYS = new Set(['2024-02-17', '2025-02-08']);

function daysOfYear(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/** Reference: count day by day, the slow obvious way. */
function naiveBetween(from: string, to: string): number {
  const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  let n = 0;
  for (let d = addCalendarDays(lo, 1); d <= hi; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) n += 1;
  return sign * n;
}

const BASE = '2023-01-01';
/** Dates from 2023 to 2028: two years without a calendar around the three published ones. */
const date = fc.integer({ min: 0, max: 6 * 366 }).map((k) => addCalendarDays(BASE, k));
const publishedDate = fc.integer({ min: 0, max: 366 + 365 + 365 - 1 }).map((k) => addCalendarDays('2024-01-01', k));
const workingDate = date.filter((d) => isWorkingDay(d));

describe('published totals', () => {
  it.each(Object.entries(PUBLISHED_DAYS_OFF))('%s has %i days off', (year, published) => {
    const off = daysOfYear(Number(year)).filter((d) => !isWorkingDay(d));
    expect(off.length).toBe(published);
    expect(officeCalendar.years.get(Number(year))?.daysOff).toBe(published);
  });

  it('counts a whole year of working days as its length minus the days off', () => {
    expect(workingDaysBetween('2023-12-31', '2024-12-31').days).toBe(366 - 115);
    expect(workingDaysBetween('2024-12-31', '2025-12-31').days).toBe(365 - 118);
    expect(workingDaysBetween('2025-12-31', '2026-12-31').days).toBe(365 - 120);
  });

  it('gives 115 days off in 2025 without the three holidays the June 2025 revision added', () => {
    const added = new Set(['2025-09-29', '2025-10-24', '2025-12-25']);
    const original = { ...file2025, daysOff: 115, revision: 1, holidays: file2025.holidays.filter((h) => !added.has(h.date)) };
    expect(loadOfficeCalendar([original]).years.get(2025)?.holidays.size).toBe(12);
  });

  it('covers exactly 2024–2026', () => {
    expect(publishedYears()).toEqual([2024, 2025, 2026]);
  });
});

describe('known dates', () => {
  it.each([
    ['2024-02-17', true, 'make-up-workday'], // Saturday worked for the Lunar New Year adjustment
    ['2025-02-08', true, 'make-up-workday'],
    ['2024-02-08', false, 'holiday'],
    ['2025-01-27', false, 'holiday'],
    ['2025-09-29', false, 'holiday'], // added by the 2025-06-13 revision
    ['2025-10-24', false, 'holiday'],
    ['2025-12-25', false, 'holiday'],
    ['2026-02-20', false, 'holiday'],
    ['2026-05-01', false, 'holiday'],
    ['2026-10-09', false, 'holiday'],
    ['2026-10-10', false, 'weekend'], // National Day on a Saturday: compensated on 10-09 instead
    ['2024-02-18', false, 'weekend'],
    ['2025-03-12', true, 'weekday'], // an ordinary Wednesday
    ['2026-07-15', true, 'weekday'],
  ] as const)('%s working=%s (%s)', (day, working, reason) => {
    const info = describeDay(day);
    expect(info.working).toBe(working);
    expect(info.reason).toBe(reason);
    expect(info.exactness).toBe('exact');
    expect(isWorkingDay(day)).toBe(working);
  });

  it('names holidays in both languages', () => {
    expect(describeDay('2026-10-09').name).toEqual({ zh: '國慶日補假', en: 'National Day (compensatory day off)' });
    expect(describeDay('2025-01-27').name?.zh).toBe('春節');
  });

  it('invents no holiday in a year without a calendar, and says it is an estimate', () => {
    expect(describeDay('2027-01-01')).toEqual({ date: '2027-01-01', working: true, reason: 'weekday', exactness: 'estimate' });
    expect(describeDay('2023-01-02')).toMatchObject({ working: true, exactness: 'estimate' });
    expect(describeDay('2027-01-02')).toMatchObject({ working: false, reason: 'weekend', exactness: 'estimate' });
  });

  it('counts the Lunar New Year 2026 week as one working day', () => {
    // Fri 02-13 → Mon 02-23: 02-16…02-20 off, 02-21/22 weekend, 02-23 working.
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toEqual({ days: 1, exactness: 'exact', yearsWithoutCalendar: [] });
    expect(addWorkingDays('2026-02-13', 1).date).toBe('2026-02-23');
    expect(addWorkingDays('2026-02-23', -1).date).toBe('2026-02-13');
  });

  it('counts a make-up Saturday', () => {
    // Fri 2024-02-16 → Mon 02-19: the Saturday 02-17 is worked, Sunday is not.
    expect(workingDaysBetween('2024-02-16', '2024-02-19').days).toBe(2);
    expect(addWorkingDays('2024-02-16', 1).date).toBe('2024-02-17');
  });
});

describe('dates and time zones', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('converts timestamps to the Taipei date around midnight', () => {
    expect(toCalendarDate('2025-01-26T15:59:59Z')).toBe('2025-01-26'); // 23:59:59 in Taipei, a Sunday
    expect(toCalendarDate('2025-01-26T16:00:00Z')).toBe('2025-01-27'); // 00:00 in Taipei
    expect(isWorkingDay('2025-01-26T15:59:59Z')).toBe(false);
    expect(isWorkingDay('2025-01-26T16:00:00Z')).toBe(false);
    expect(isWorkingDay('2024-02-16T16:00:00Z')).toBe(true); // 2024-02-17 00:00 Taipei, make-up Saturday
    expect(isWorkingDay('2024-02-16T15:59:59.999Z')).toBe(true); // still Friday 02-16
    expect(isWorkingDay('2024-02-17T23:30:00+08:00')).toBe(true);
    expect(isWorkingDay('2024-02-17T23:30:00-05:00')).toBe(false); // 2024-02-18 12:30 Taipei, Sunday
    expect(toCalendarDate(new Date('2026-10-08T16:00:00Z'))).toBe('2026-10-09');
  });

  it('ignores the machine time zone', () => {
    const probe = new Date('2025-01-26T16:30:00Z');
    const results = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Taipei'].map((tz) => {
      process.env.TZ = tz;
      return {
        hour: probe.getHours(), // proves the switch took effect
        date: toCalendarDate(probe),
        working: isWorkingDay(probe),
        between: workingDaysBetween('2024-12-31T23:00:00Z', '2025-12-31T15:59:59Z').days,
      };
    });
    expect(new Set(results.map((r) => r.hour)).size).toBe(4);
    for (const r of results) expect(r).toMatchObject({ date: '2025-01-27', working: false, between: 247 });
  });

  it.each(['2025-02-30', '2025-1-1', '2025-01-01T10:00:00', 'tomorrow', '', '0099-01-01'])('refuses %j', (input) => {
    expect(() => toCalendarDate(input)).toThrow(AppFailure);
    try {
      toCalendarDate(input);
    } catch (e) {
      expect((e as AppFailure).code).toBe('CALENDAR_INVALID_DATE');
    }
  });

  it('refuses an invalid Date and a fractional count', () => {
    expect(() => isWorkingDay(new Date(Number.NaN))).toThrow(AppFailure);
    expect(() => addWorkingDays('2025-01-01', 1.5)).toThrow(AppFailure);
  });

  it('knows the weekday of a Taipei date', () => {
    expect(weekdayOfDate('2024-02-17')).toBe(6);
    expect(weekdayOfDate('2024-02-17T16:00:00Z')).toBe(0); // Sunday 00:00 in Taipei
  });
});

describe('properties', () => {
  it('agrees with day-by-day counting', () => {
    fc.assert(fc.property(date, date, (a, b) => workingDaysBetween(a, b).days === naiveBetween(a, b)), { numRuns: 300 });
  });

  it('is additive and antisymmetric', () => {
    fc.assert(
      fc.property(date, date, date, (a, b, c) => {
        const ab = workingDaysBetween(a, b).days;
        expect(ab + workingDaysBetween(b, c).days).toBe(workingDaysBetween(a, c).days);
        expect(workingDaysBetween(b, a).days + ab).toBe(0);
      }),
    );
  });

  it('addWorkingDays then workingDaysBetween gives n back (n ≥ 0, any start)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 400 }), (from, n) => {
        expect(workingDaysBetween(from, addWorkingDays(from, n).date).days).toBe(n);
      }),
    );
  });

  it('addWorkingDays then workingDaysBetween gives n back (negative n, working start)', () => {
    fc.assert(
      fc.property(workingDate, fc.integer({ min: -400, max: -1 }), (from, n) => {
        expect(workingDaysBetween(from, addWorkingDays(from, n).date).days).toBe(n);
      }),
    );
  });

  it('workingDaysBetween then addWorkingDays lands back on a later working day', () => {
    fc.assert(
      fc.property(date, workingDate, (from, to) => {
        fc.pre(to > from);
        expect(addWorkingDays(from, workingDaysBetween(from, to).days).date).toBe(to);
      }),
    );
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(date, date, date, (from, x, y) => {
        const [t1, t2] = x <= y ? [x, y] : [y, x];
        expect(workingDaysBetween(from, t1).days).toBeLessThanOrEqual(workingDaysBetween(from, t2).days);
      }),
    );
    fc.assert(
      fc.property(date, fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 }), (from, x, y) => {
        const [n1, n2] = x <= y ? [x, y] : [y, x];
        expect(addWorkingDays(from, n1).date <= addWorkingDays(from, n2).date).toBe(true);
      }),
    );
  });

  it('never lands on a weekend except a make-up Saturday, nor on a holiday', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -300, max: 300 }).filter((n) => n !== 0), (from, n) => {
        const result = addWorkingDays(from, n).date;
        const weekday = weekdayOfDate(result);
        if (weekday === 0 || weekday === 6) expect(MAKE_UP_SATURDAYS.has(result)).toBe(true);
        expect(describeDay(result).reason).not.toBe('holiday');
      }),
    );
  });

  it('calls exact only what lies in 2024–2026, and flags any span touching 2023 or 2027', () => {
    fc.assert(
      fc.property(date, date, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const counted = lo === hi ? [] : [addCalendarDays(lo, 1), hi];
        const outside = counted.some((d) => d < '2024-01-01' || d > '2026-12-31');
        const r = workingDaysBetween(a, b);
        expect(r.exactness).toBe(outside ? 'estimate' : 'exact');
        expect(r.yearsWithoutCalendar.length > 0).toBe(outside);
        const touches2027 = counted.length > 0 && hi >= '2027-01-01' && counted[0]! <= '2027-12-31';
        expect(r.yearsWithoutCalendar.includes(2027)).toBe(touches2027);
      }),
    );
    fc.assert(
      fc.property(publishedDate, publishedDate, (a, b) => workingDaysBetween(a, b).exactness === 'exact'),
    );
  });

  it('flags a shift that reaches 2027 as an estimate', () => {
    expect(addWorkingDays('2026-12-30', 1)).toEqual({ date: '2026-12-31', exactness: 'exact', yearsWithoutCalendar: [] });
    expect(addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-01', exactness: 'estimate', yearsWithoutCalendar: [2027] });
    expect(addWorkingDays('2027-01-04', -1)).toEqual({ date: '2027-01-01', exactness: 'estimate', yearsWithoutCalendar: [2027] });
    expect(workingDaysBetween('2026-12-31', '2027-12-31')).toEqual({ days: 261, exactness: 'estimate', yearsWithoutCalendar: [2027] });
  });
});

describe('loader', () => {
  const broken = (patch: object) => () => loadOfficeCalendar([{ ...file2025, ...patch }]);
  const expectInvalid = (load: () => unknown, detail: RegExp) => {
    expect(load).toThrow(AppFailure);
    expect(load).toThrow(detail);
  };

  it('refuses a file whose total does not match its lists', () => {
    expectInvalid(broken({ daysOff: 117 }), /daysOff 117 but the lists give 118/);
  });

  it('refuses a holiday on a weekend, outside its year, or listed twice', () => {
    const h = file2025.holidays;
    expectInvalid(broken({ daysOff: 119, holidays: [...h, { date: '2025-10-25', name_zh: '放假日', name_en: 'Holiday' }] }), /falls on a weekend/);
    expectInvalid(broken({ daysOff: 119, holidays: [...h, { date: '2026-01-02', name_zh: '放假日', name_en: 'Holiday' }] }), /outside 2025/);
    expectInvalid(broken({ daysOff: 119, holidays: [...h, h[0]] }), /listed twice/);
  });

  it('refuses a make-up day that is not a Saturday, and a wrong ROC year', () => {
    expectInvalid(broken({ makeUpWorkdays: [{ date: '2025-02-09', name_zh: '補行上班', name_en: 'Make-up' }] }), /not a Saturday/);
    expectInvalid(broken({ rocYear: 113 }), /rocYear/);
  });

  it('refuses two files for one year and unknown fields', () => {
    expectInvalid(() => loadOfficeCalendar([file2025, file2025]), /two calendar files for 2025/);
    expect(broken({ extra: 1 })).toThrow(AppFailure);
    expect(broken({ schemaVersion: 2 })).toThrow(AppFailure);
  });
});
