// The history screen's pure parts: Taipei days and months for filters and the chart, chart counts, the report's
// filter description, chart geometry (properties with fast-check where the rule is general).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../electron/contract/index.ts';
import { describeFilter, historyFacets, historyStats } from '../../../electron/core/history/overview.ts';
import { taipeiMonth } from '../../../electron/common/time.ts';
import { EMPTY_FILTER, columnBars, formatMonth, taipeiDay, toFilter } from '../../../renderer/src/features/history/model.ts';

const RESULTS = ['success', 'failure', 'refused', 'partial'] as const;
const RECIPIENTS = [
  { kind: 'self' as const },
  { kind: 'service-provider' as const, id: 'sunny-bank', name: { zh: '晴天商業銀行', en: 'Sunny Day Bank' } },
  { kind: 'service-provider' as const, id: 'quickloan', name: { zh: '快易貸', en: 'QuickLoan' } },
];

function record(i: number, time: string, result: HistoryRecord['result'], recipient: HistoryRecord['recipient']): HistoryRecord {
  return {
    seq: i,
    id: `id-${String(i)}`,
    recorded_at: time,
    time,
    kind: result === 'refused' ? 'refusal' : result === 'failure' ? 'failure' : recipient.kind === 'self' ? 'self-download' : 'delivery',
    dataset: { id: 'API.syWqjr4flJ', name: { zh: '綜合所得稅資料', en: 'Income tax' } },
    provider: { id: 'mof-fia', name: { zh: '財政資訊中心', en: 'Fiscal Information Agency' } },
    service: null,
    recipient,
    subject: { masked_id: 'A12345****', type: 'natural' },
    method: 'moica',
    assurance_level: 0,
    result,
    code: '200',
    tx_id: `tx-${String(i)}`,
    receipt_id: null,
    terms_sha256: null,
  };
}

const instant = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

describe('Taipei calendar days and months (UTC+8)', () => {
  it('puts an instant in the Taipei month and day it falls on, not the UTC one', () => {
    expect(taipeiMonth('2025-01-31T15:59:59Z')).toBe('2025-01');
    expect(taipeiMonth('2025-01-31T16:00:00Z')).toBe('2025-02');
    expect(taipeiMonth('2025-12-31T23:30:00+08:00')).toBe('2025-12');
    expect(taipeiDay('2025-05-31T23:40:00+08:00')).toBe('2025-05-31');
    expect(taipeiDay('2025-05-31T16:00:00Z')).toBe('2025-06-01');
  });

  it('a date filter of one day holds exactly the instants on that Taipei day (property)', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const day = taipeiDay(a);
        const f = toFilter({ ...EMPTY_FILTER, from: day, until: day });
        const inside = Date.parse(f.from ?? '') <= Date.parse(b) && Date.parse(b) < Date.parse(f.until ?? '');
        expect(inside).toBe(taipeiDay(b) === day);
        expect(Date.parse(f.from ?? '') <= Date.parse(a) && Date.parse(a) < Date.parse(f.until ?? '')).toBe(true);
      }),
    );
  });

  it('ends an inclusive range at the next day across month, year and leap-day boundaries; empty fields do not filter', () => {
    expect(toFilter({ ...EMPTY_FILTER, until: '2024-12-31' }).until).toBe('2025-01-01T00:00:00+08:00');
    expect(toFilter({ ...EMPTY_FILTER, until: '2024-02-28' }).until).toBe('2024-02-29T00:00:00+08:00');
    expect(toFilter({ ...EMPTY_FILTER, until: '2024-02-29' }).until).toBe('2024-03-01T00:00:00+08:00');
    expect(toFilter(EMPTY_FILTER)).toEqual({});
    expect(toFilter({ ...EMPTY_FILTER, recipient: 'self', result: 'refused', subject_type: 'legal' })).toEqual({ recipient: 'self', result: 'refused', subject_type: 'legal' });
  });

  it('names months in the ROC calendar (民國) or the Gregorian one, in either language', () => {
    expect(formatMonth('2025-03', 'zh-TW', 'roc')).toBe('民國114年3月');
    expect(formatMonth('2025-03', 'zh-TW', 'gregorian')).toBe('2025年3月');
    expect(formatMonth('2025-03', 'en', 'gregorian')).toBe('March 2025');
    expect(formatMonth('2025-03', 'en', 'roc')).toContain('114');
  });
});

describe('chart counts (history:stats)', () => {
  it('counts only what was transmitted, fills empty months with zero, and ranks recipients', () => {
    const stats = historyStats([
      record(0, '2025-01-10T09:00:00+08:00', 'success', RECIPIENTS[0]!),
      record(1, '2025-01-31T23:59:00+08:00', 'partial', RECIPIENTS[1]!),
      record(2, '2025-02-15T09:00:00+08:00', 'refused', RECIPIENTS[1]!),
      record(3, '2025-04-01T00:00:00+08:00', 'success', RECIPIENTS[1]!),
      record(4, '2025-04-02T00:00:00+08:00', 'failure', RECIPIENTS[2]!),
    ]);
    expect(stats.months).toEqual([
      { month: '2025-01', count: 2 },
      { month: '2025-02', count: 0 },
      { month: '2025-03', count: 0 },
      { month: '2025-04', count: 1 },
    ]);
    expect(stats.recipients).toEqual([
      { id: 'sunny-bank', name: { zh: '晴天商業銀行', en: 'Sunny Day Bank' }, count: 2 },
      { id: 'self', name: null, count: 1 },
    ]);
    expect(stats).toMatchObject({ total: 5, transmitted: 3 });
  });

  it('an import of a file the person already had is no transmission: it stays in the total but not in the chart or who has the data', () => {
    const download = record(0, '2025-03-01T09:00:00+08:00', 'success', RECIPIENTS[0]!);
    const imported: HistoryRecord = {
      ...record(1, '2025-03-01T09:05:00+08:00', 'success', RECIPIENTS[0]!),
      kind: 'import',
      import: { source: 'official-website', verdict: 'unsigned', file_sha256: 'a'.repeat(64), file_name: 'household.zip' },
    };
    const stats = historyStats([download, imported, record(2, '2025-05-01T09:00:00+08:00', 'success', RECIPIENTS[1]!)]);
    expect(stats.recipients).toEqual([
      { id: 'self', name: null, count: 1 },
      { id: 'sunny-bank', name: { zh: '晴天商業銀行', en: 'Sunny Day Bank' }, count: 1 },
    ]);
    expect(stats.months.map((m) => m.count)).toEqual([1, 0, 1]);
    expect(stats).toMatchObject({ total: 3, transmitted: 2 });
    // Imports alone: nothing was sent to anyone, so no month and no recipient.
    expect(historyStats([imported])).toEqual({ months: [], recipients: [], total: 1, transmitted: 0 });
  });

  it('months are contiguous and both breakdowns sum to the transmissions (property)', () => {
    const records = fc.array(fc.tuple(instant, fc.constantFrom(...RESULTS), fc.constantFrom(...RECIPIENTS)), { maxLength: 60 });
    fc.assert(
      fc.property(records, (rows) => {
        const stats = historyStats(rows.map(([t, r, to], i) => record(i, t, r, to)));
        const sent = rows.filter(([, r]) => r === 'success' || r === 'partial').length;
        expect(stats.transmitted).toBe(sent);
        expect(stats.months.reduce((s, m) => s + m.count, 0)).toBe(sent);
        expect(stats.recipients.reduce((s, r) => s + r.count, 0)).toBe(sent);
        for (let i = 1; i < stats.months.length; i++) {
          const [y, m] = (stats.months[i - 1]?.month ?? '').split('-').map(Number) as [number, number];
          const next = m === 12 ? `${String(y + 1)}-01` : `${String(y)}-${String(m + 1).padStart(2, '0')}`;
          expect(stats.months[i]?.month).toBe(next);
        }
      }),
    );
  });

  it('facets list self first, then ids in order, each once', () => {
    const rows = [record(0, '2025-01-01T00:00:00Z', 'success', RECIPIENTS[2]!), record(1, '2025-01-02T00:00:00Z', 'success', RECIPIENTS[0]!), record(2, '2025-01-03T00:00:00Z', 'refused', RECIPIENTS[2]!)];
    expect(historyFacets(rows).recipients.map((r) => r.id)).toEqual(['self', 'quickloan']);
  });
});

describe('the report’s filter description', () => {
  const facets = historyFacets([record(0, '2025-01-01T00:00:00Z', 'success', RECIPIENTS[1]!)]);
  it('says nothing when nothing is filtered', () => {
    expect(describeFilter({}, facets, 'zh-TW', 'gregorian')).toBeUndefined();
  });
  it('names the filter in the report’s language and calendar, with the inclusive last day', () => {
    const filter = { ...toFilter({ ...EMPTY_FILTER, from: '2025-02-01', until: '2025-03-18' }), recipient: 'sunny-bank', result: 'success' as const };
    expect(describeFilter(filter, facets, 'zh-TW', 'roc')).toBe('起：民國114年2月1日；迄：民國114年3月18日；收件者：晴天商業銀行；結果：成功');
    expect(describeFilter(filter, facets, 'en', 'gregorian')).toBe('from 1 February 2025; until 18 March 2025; recipient: Sunny Day Bank; result: success');
  });
});

describe('chart geometry', () => {
  it('scales bars to the tallest, keeps zero bars flat, and stays inside the box (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 60 }), (values) => {
        const bars = columnBars(values, 420, 150);
        const max = Math.max(...values);
        bars.forEach((b, i) => {
          expect(b.height).toBeGreaterThanOrEqual(0);
          expect(b.y + b.height).toBe(150);
          expect(b.x + b.width).toBeLessThanOrEqual(420 + 1e-9);
          if (values[i] === 0) expect(b.height).toBe(0);
          if (max > 0 && values[i] === max) expect(b.height).toBe(150);
        });
      }),
    );
  });
});
