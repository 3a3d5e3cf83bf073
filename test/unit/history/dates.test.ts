// Date display for the history: Gregorian and ROC (民國) calendars through Intl, in Taipei time by default.
import { describe, expect, it } from 'vitest';
import { addDays, dateLocale, formatDate } from '../../../electron/common/time.ts';

describe('history dates', () => {
  const at = '2025-03-04T17:06:00Z'; // 5 March 2025, 01:06 in Taipei

  it('shows ROC years (民國 = Gregorian - 1911) and the Taipei date', () => {
    expect(dateLocale('zh-TW', 'roc')).toBe('zh-TW-u-ca-roc');
    expect(formatDate(at, { language: 'zh-TW', calendar: 'roc' })).toBe('民國114年3月5日');
    expect(formatDate(at, { language: 'zh-TW', calendar: 'gregorian' })).toBe('2025年3月5日');
    expect(formatDate(at, { language: 'zh-TW', calendar: 'roc', withTime: true })).toMatch(/^民國114年3月5日.*01:06$/);
    expect(formatDate(at, { language: 'en', calendar: 'gregorian' })).toBe('5 March 2025');
    expect(formatDate(at, { language: 'en', calendar: 'roc' })).toMatch(/114/);
    expect(formatDate(at, { language: 'zh-TW', calendar: 'gregorian', timeZone: 'UTC' })).toBe('2025年3月4日');
  });

  it('counts calendar days for PDPA deadlines', () => {
    expect(addDays(new Date('2025-02-20T00:00:00Z'), 15).toISOString()).toBe('2025-03-07T00:00:00.000Z');
  });
});
