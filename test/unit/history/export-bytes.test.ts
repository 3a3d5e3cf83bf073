// The export worker reads each record's UTF-8 one byte per character and writes the readable columns back as those
// bytes (export-format.ts, readablePrefix): it must give exactly the bytes of formatting the record as text, for any
// names a provider or service could send — quotes, commas, line breaks, formula marks, backslashes, \u-like text,
// lone surrogates, control characters, C1 characters, emoji, a BOM — on one thread and split over two workers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryEntryInput, HistoryRecord } from '../../../electron/contract/history.ts';
import { canonicalJson } from '../../../electron/core/history/chain.ts';
import { csvRow } from '../../../electron/core/history/csv.ts';
import { exportCsvFile } from '../../../electron/core/history/export-file.ts';
import { readable, readablePrefix, readablePrefixOfJson } from '../../../electron/core/history/export-format.ts';
import { exportCsv } from '../../../electron/core/history/export.ts';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { KEY, entry, tempDir, writeLogFile } from './fixtures.ts';

const PIECES = ['"', ',', '\r\n', '\n', '\r', '=', '+', '-', '@', '\t', '\\', '\\u0041', '\\"', '\ud800', '\udfff', '😀', '\u0001', '\u0085', '\u00e9', '\ufeff', '本人', '衛生福利部', 'a', ' '];
const awkward = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
);
const name = fc.record({ zh: awkward, en: awkward });

/** An entry whose every free-text field is awkward (ids too: they come from the platform). */
const awkwardEntry = fc
  .record({
    dataset: name,
    provider: name,
    service: fc.option(name),
    recipient: name,
    id: awkward,
    tx: awkward,
    code: awkward,
    method: awkward,
    self: fc.boolean(),
    subject: fc.constantFrom(null, { masked_id: 'A12345****', type: 'natural' as const }, { masked_id: '1234****', type: 'legal' as const }),
    level: fc.option(fc.constantFrom(0, 0.5, 1, 2.25, 10)),
    receipt: fc.option(awkward),
    terms: fc.option(fc.constant('cd'.repeat(32))),
    imported: fc.option(fc.record({ file_name: awkward, source: fc.constantFrom('official-website' as const, 'counter' as const) })),
  })
  .map(
    (a): HistoryEntryInput => ({
      ...entry(1),
      dataset: { id: a.id, name: a.dataset },
      provider: { id: a.id, name: a.provider },
      service: a.service === null ? null : { id: a.id, name: a.service },
      recipient: a.self ? { kind: 'self' } : { kind: 'service-provider', id: a.id, name: a.recipient },
      subject: a.subject,
      assurance_level: a.level,
      receipt_id: a.receipt,
      terms_sha256: a.terms,
      tx_id: a.tx,
      code: a.code,
      method: a.method,
      ...(a.imported === null ? {} : { import: { ...a.imported, verdict: 'unsigned' as const, file_sha256: 'ef'.repeat(32) } }),
    }),
  );

describe('the export row read as bytes', () => {
  it('reads only canonical record JSON without building it, and gives null for anything else', () => {
    const record: HistoryRecord = { ...entry(2), seq: 7, id: 'r', recorded_at: '2025-01-01T00:00:00.000Z' };
    const json = canonicalJson(record);
    expect(readablePrefixOfJson(json)?.seq).toBe(7);
    for (const other of [JSON.stringify(record, null, 1), json.replace('"seq":7', '"seq":7.0'), json.replace('"seq":7', '"seq":"7"'), `${json} `, json.replace('}', ',"extra":1}'), json.slice(0, -1)]) {
      expect(readablePrefixOfJson(other), other.slice(0, 40)).toBeNull();
    }
  });

  it('gives the same bytes as the row formatted as text, for any record without a \\u escape', () => {
    fc.assert(
      fc.property(awkwardEntry, fc.nat(), (e, seq) => {
        const record: HistoryRecord = { ...e, seq, id: 'r', recorded_at: e.time };
        const json = canonicalJson(record);
        // Records whose JSON holds a \u escape (lone surrogates, control characters) are read as text instead.
        fc.pre(!json.includes('\\u'));
        const bytesText = Buffer.from(json, 'utf8').toString('latin1');
        const asBytes = JSON.parse(bytesText) as HistoryRecord;
        const expected = Buffer.from(`${csvRow(readable(record))},`, 'utf8');
        expect(Buffer.from(readablePrefix(asBytes, true), 'latin1')).toEqual(expected);
        expect(readablePrefix(record, false)).toBe(`${csvRow(readable(record))},`);
        // Read without building the record: the same bytes and sequence number, for every record without a backslash.
        const fast = readablePrefixOfJson(bytesText);
        if (json.includes('\\')) expect(fast).toBeNull();
        else {
          expect(fast?.seq).toBe(seq);
          expect(Buffer.from(fast?.prefix ?? '', 'latin1')).toEqual(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a worker export of a log full of awkward records equals exportCsv, on one thread and split over two workers', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const odd = fc.sample(awkwardEntry, { numRuns: 600, seed: 17 });
    // Large enough to be split; awkward records throughout, so some fall beside the split.
    writeLogFile(dir, 6000, undefined, (i, start) => (i % 10 === 3 ? { ...odd[Math.floor(i / 10)]!, time: new Date(start).toISOString() } : entry(i, start)));
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    const at = new Date('2026-01-02T03:04:05Z');
    const expected = Buffer.from(exportCsv(log, at), 'utf8');
    expect(/\\u[0-9a-f]{4}/.test(expected.toString('utf8'))).toBe(true); // some records hold a \u escape: the text path
    for (const partWorker of [undefined, null]) {
      const dest = join(dir, 'out', `${String(partWorker)}.csv`);
      await exportCsvFile(log, dest, { exportedAt: at, partWorker });
      expect(readFileSync(dest).equals(expected), String(partWorker)).toBe(true);
    }
    await log.close();
  });
});
