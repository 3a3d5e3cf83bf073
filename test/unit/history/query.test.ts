// History queries: the index answers exactly what a plain scan answers (property), and "who has my data".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryIndex, recipientKey } from '../../../electron/core/history/query.ts';
import type { HistoryQuery, HistoryRecord } from '../../../electron/contract/history.ts';
import { HistoryEntrySchema } from '../../../electron/contract/history.ts';
import { entry } from './fixtures.ts';

function record(i: number, hoursOffset: number): HistoryRecord {
  const e = HistoryEntrySchema.parse(entry(i, Date.parse('2025-01-01T00:00:00Z') + hoursOffset * 3_600_000 - i * 3_600_000));
  return { ...e, seq: i, id: `id-${i}`, recorded_at: e.time };
}

function naive(records: HistoryRecord[], q: HistoryQuery): string[] {
  const from = q.from ? Date.parse(q.from) : -Infinity;
  const until = q.until ? Date.parse(q.until) : Infinity;
  const hits = records
    .filter((r) => {
      const t = Date.parse(r.time);
      return (
        t >= from &&
        t < until &&
        (q.recipient === undefined || recipientKey(r.recipient) === q.recipient) &&
        (q.provider === undefined || r.provider.id === q.provider) &&
        (q.dataset === undefined || r.dataset.id === q.dataset) &&
        (q.result === undefined || r.result === q.result) &&
        (q.subject_type === undefined || r.subject?.type === q.subject_type)
      );
    })
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.seq - b.seq);
  if ((q.order ?? 'newest') === 'newest') hits.reverse();
  return hits.map((r) => r.id);
}

describe('history index', () => {
  it('matches a plain scan for any filter combination, even with out-of-order times (property)', () => {
    const queryArb: fc.Arbitrary<HistoryQuery> = fc.record(
      {
        from: fc.integer({ min: 0, max: 60 }).map((h) => new Date(Date.parse('2025-01-01T00:00:00Z') + h * 3_600_000).toISOString()),
        until: fc.integer({ min: 0, max: 80 }).map((h) => new Date(Date.parse('2025-01-01T00:00:00Z') + h * 3_600_000).toISOString()),
        recipient: fc.constantFrom('self', 'bank-a', 'ins-b', 'nobody'),
        provider: fc.constantFrom('nhia', 'bli', 'fia'),
        dataset: fc.constantFrom('HHR-001', 'LAB-INS', 'TAX-INC'),
        result: fc.constantFrom('success' as const, 'failure' as const, 'refused' as const, 'partial' as const),
        subject_type: fc.constantFrom('natural' as const, 'legal' as const),
        order: fc.constantFrom('newest' as const, 'oldest' as const),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 72 }), { maxLength: 60 }), queryArb, (offsets, q) => {
        const records = offsets.map((h, i) => record(i, h + i));
        const index = new HistoryIndex();
        for (const r of records) index.add(r);
        const got = index.query(q);
        const want = naive(records, q);
        expect(got.records.map((r) => r.id)).toEqual(want);
        expect(got.total).toBe(want.length);
        const page = index.query({ ...q, offset: 2, limit: 3 });
        expect(page.records.map((r) => r.id)).toEqual(want.slice(2, 5));
      }),
      { numRuns: 300 },
    );
  });

  it('answers "who has my data": per recipient, what it received and when last (successes and partials only)', () => {
    const index = new HistoryIndex();
    for (let i = 0; i < 48; i++) index.add(record(i, 2 * i));
    const all = index.all() as readonly HistoryRecord[]; // this index holds full records (no sealed rows)
    const summary = index.recipients();
    const bank = summary.find((s) => s.recipient.kind === 'service-provider' && s.recipient.id === 'bank-a');
    const received = all.filter((r) => recipientKey(r.recipient) === 'bank-a' && (r.result === 'success' || r.result === 'partial'));
    expect(bank?.transmissions).toBe(received.length);
    expect(bank?.last_time).toBe(received.at(-1)?.time);
    expect(bank?.datasets.map((d) => d.id)).toEqual([...new Set(received.map((r) => r.dataset.id))]);
    expect(bank?.datasets[0]?.last_tx_id).toBe(received.at(-1)?.tx_id);
    // Newest recipient first; refusals and failures never count as "has my data".
    const times = summary.map((s) => Date.parse(s.last_time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(summary.reduce((n, s) => n + s.transmissions, 0)).toBe(all.filter((r) => r.result === 'success' || r.result === 'partial').length);
  });
});
