// History CSV export (G14/G15): Excel-friendly bytes, parses back, verifies without the key, tampering caught by position; CLI exit codes.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { EXPORT_COLUMNS, exportCsv, verifyCsvExport } from '../../../electron/core/history/export.ts';
import { csvRow, parseCsv } from '../../../electron/core/history/csv.ts';
import { GENESIS, canonicalJson } from '../../../electron/core/history/chain.ts';
import { KEY, entry, tempDir } from './fixtures.ts';

/** An independent, strict RFC 4180 reader (CRLF only), so the export is not checked with its own parser. */
function rfc4180(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
      i++;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break at ${i}`);
    else f += c;
  }
  if (q) throw new Error('unterminated quote');
  if (f !== '' || row.length > 0) throw new Error('last line not terminated by CRLF');
  return rows;
}

async function logWith(n: number, tweak?: (i: number) => Partial<ReturnType<typeof entry>>): Promise<HistoryLog> {
  const log = await HistoryLog.open({ dir: tempDir(), key: KEY });
  for (let i = 0; i < n; i++) await log.append({ ...entry(i), ...tweak?.(i) });
  return log;
}

describe('CSV export', () => {
  it('is UTF-8 with BOM and CRLF, parses back row for row, and carries the chain head', async () => {
    const awkward = { zh: '甲銀行, "信用卡"\r\n部', en: '=HYPERLINK("http://x")' };
    const log = await logWith(8, (i) => (i === 2 ? { dataset: { id: 'ODD', name: awkward } } : {}));
    const bytes = Buffer.from(exportCsv(log, new Date('2025-06-01T00:00:00Z')), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rfc4180(bytes.toString('utf8').slice(1));
    expect(rows[0]).toEqual(['MyData Desktop history export', 'mydata-desktop-history/1']);
    const meta = new Map(rows.slice(1, 8).map((r) => [r[0], r[1]]));
    expect(meta.get('chain_head')).toBe(log.head());
    expect(meta.get('records')).toBe('8');
    expect(meta.get('anchor')).toBe(GENESIS);
    expect(rows[8]).toEqual(['']);
    expect(rows[9]).toEqual([...EXPORT_COLUMNS]);
    const table = rows.slice(10);
    expect(table).toHaveLength(8);
    const col = (name: string) => EXPORT_COLUMNS.indexOf(name);
    table.forEach((r, i) => {
      const rec = log.records()[i]!;
      expect(r).toHaveLength(EXPORT_COLUMNS.length);
      expect(r[col('tx_id')]).toBe(rec.tx_id);
      expect(r[col('hash')]).toBe(log.hashes()[i]);
      expect(JSON.parse(r[col('record_json')]!)).toEqual(rec);
    });
    expect(table[0]![col('provider_zh')]).toBe('衛生福利部中央健康保險署');
    expect(table[2]![col('dataset_zh')]).toBe(awkward.zh); // commas, quotes and a line break survive quoting
    expect(table[2]![col('dataset_en')]).toBe(`'${awkward.en}`); // never a live formula in Excel
    expect(table.at(-1)![col('hash')]).toBe(log.head());
    expect(verifyCsvExport(bytes.toString('utf8'))).toMatchObject({ ok: true, records: 8, chain_head: log.head() });
    await log.close();
  });

  it('verifies an empty history and one pruned by retention (anchored at the checkpoint)', async () => {
    const empty = await logWith(0);
    expect(verifyCsvExport(exportCsv(empty))).toMatchObject({ ok: true, records: 0, chain_head: GENESIS });
    await empty.close();
    let now = Date.parse('2020-01-01T00:00:00Z');
    const log = await HistoryLog.open({ dir: tempDir(), key: KEY, clock: { now: () => new Date(now) } });
    for (let i = 0; i < 6; i++) {
      now = Date.parse('2020-01-01T00:00:00Z') + i * 200 * 86_400_000;
      await log.append(entry(0, now));
    }
    now = Date.parse('2023-06-01T00:00:00Z');
    const { pruned } = await log.prune();
    expect(pruned).toBeGreaterThan(0);
    const v = verifyCsvExport(exportCsv(log));
    expect(v).toMatchObject({ ok: true, pruned_count: pruned, first_seq: pruned, chain_head: log.head() });
    await log.close();
  });
});

type Op = { op: 'change'; i: number } | { op: 'changeShown'; i: number } | { op: 'remove'; i: number } | { op: 'swap'; i: number; j: number } | { op: 'insert'; i: number; k: number };

describe('export verification (property)', () => {
  it('catches any changed, removed, reordered or inserted row at its position, without the key', async () => {
    const N = 10;
    const log = await logWith(N);
    const text = exportCsv(log);
    await log.close();
    const rows = parseCsv(text).map((r) => r.fields);
    const head = rows.slice(0, 10);
    const body = rows.slice(10);
    const jsonCol = EXPORT_COLUMNS.length - 1;
    const txCol = EXPORT_COLUMNS.indexOf('tx_id');
    const ops: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constantFrom('change' as const, 'changeShown' as const, 'remove' as const), i: fc.nat(N - 1) }) as fc.Arbitrary<Op>,
      fc.record({ op: fc.constant('swap' as const), i: fc.nat(N - 2), j: fc.nat(N - 1) }).filter((o) => o.j > o.i),
      fc.record({ op: fc.constant('insert' as const), i: fc.nat(N), k: fc.nat(N - 1) }),
    );
    fc.assert(
      fc.property(ops, (o) => {
        const b = body.map((r) => [...r]);
        if (o.op === 'change') {
          const rec = JSON.parse(b[o.i]![jsonCol]!);
          rec.tx_id = 'tx-forged';
          b[o.i]![jsonCol] = canonicalJson(rec);
          b[o.i]![txCol] = 'tx-forged'; // a careful forger keeps the shown column consistent: the hash still fails
        } else if (o.op === 'changeShown') b[o.i]![txCol] = 'tx-forged';
        else if (o.op === 'remove') b.splice(o.i, 1);
        else if (o.op === 'swap') [b[o.i], b[o.j]] = [b[o.j]!, b[o.i]!];
        else b.splice(o.i, 0, [...body[o.k]!]);
        const v = verifyCsvExport('\uFEFF' + [...head, ...b].map(csvRow).join('\r\n') + '\r\n');
        expect(v.ok).toBe(false);
        if (v.ok) return;
        expect(v.kind).toBe('broken');
        const expected = o.op === 'insert' && o.k === o.i ? o.i + 1 : o.i;
        // Removing the last row leaves a consistent prefix: the header's count and chain_head catch it.
        if (!(o.op === 'remove' && o.i === N - 1)) expect(v.position).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('says when a file is not an export at all, or its header was edited', () => {
    expect(verifyCsvExport('a,b\r\n1,2\r\n')).toMatchObject({ ok: false, kind: 'format' });
    expect(verifyCsvExport('')).toMatchObject({ ok: false, kind: 'format' });
  });
});

describe('npm run history:verify', () => {
  const cli = join(import.meta.dirname, '../../../electron/core/history/verify-cli.ts');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  it('exits 0 on a good export, 1 with the position on a tampered one, 2 on usage errors', async () => {
    const log = await logWith(12);
    const dir = tempDir();
    const good = join(dir, 'good.csv');
    const text = exportCsv(log);
    writeFileSync(good, text);
    const ok = run(good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(log.head());

    const rows = parseCsv(text).map((r) => r.fields);
    rows.splice(10 + 5, 1); // drop record 5
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '\uFEFF' + rows.map(csvRow).join('\r\n') + '\r\n');
    const broken = run('--', bad);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at position \(seq\) 5/);

    expect(run().status).toBe(2);
    expect(run(join(dir, 'missing.csv')).status).toBe(2);
    const notExport = join(dir, 'other.csv');
    writeFileSync(notExport, 'x,y\r\n');
    expect(run(notExport).status).toBe(2);
    await log.close();
  });
});
