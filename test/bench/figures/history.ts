// History figures on a 100,000-record log (issue 7): append p99 with sync, open+verify, a filtered query, CSV export.
//
// Set-up: the 100,000 records are framed, chained and encrypted with the log's own format functions and written
// in one go (appending them one by one with a sync each would take minutes and measure nothing new); then:
// history.append_p99_ms   — opens that log and times APPENDS appends (each resolved only after fdatasync), p99.
//                           Dominated by the disk's fdatasync latency: on a loaded shared disk it varies run to run.
// history.open_verify_ms  — HistoryLog.open on the file: read, header, every frame's hash chain, AES-GCM decrypt,
//                           content chain, index build (frames checked on the frame worker while records are
//                           parsed, as in the app). Median of RUNS.
// history.query_ms        — median over RUNS of three filtered queries (recipient+result+date range; provider+subject
//                           type; date range only), the slowest of the three each time.
// history.export_csv_ms   — exportCsv of the whole log (canonical JSON, quoting, header block). Median of RUNS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportCsv, verifyCsvExport } from '../../../electron/core/history/export.ts';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { entry, KEY, writeLogFile } from '../../unit/history/fixtures.ts';
import { median, type FigureSource, type Measured } from '../types.ts';

const N = Number(process.env.BENCH_HISTORY_RECORDS ?? 100_000);
const APPENDS = Number(process.env.BENCH_HISTORY_APPENDS ?? 1000);
const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 3);

export const measure: FigureSource = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mydata-bench-history-'));
  try {
    writeLogFile(dir, N, Date.parse('2024-01-01T00:00:00Z'));
    const opens: number[] = [];
    const openCpu: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const log = await HistoryLog.open({ dir, key: KEY });
      opens.push(performance.now() - t0);
      const c1 = process.cpuUsage(c0);
      openCpu.push((c1.user + c1.system) / 1000);
      if (log.count !== N || log.integrity().broken) throw new Error('bench log did not verify');
      if (!log.openReport.parallel) throw new Error('the frame worker did not run: the figure would not measure the app');
      await log.close();
    }

    const log = await HistoryLog.open({ dir, key: KEY });
    const appendTimes: number[] = [];
    for (let i = 0; i < APPENDS; i++) {
      const e = entry(N + i, Date.now());
      const t0 = performance.now();
      await log.append(e);
      appendTimes.push(performance.now() - t0);
    }
    appendTimes.sort((a, b) => a - b);
    const p99 = appendTimes[Math.min(appendTimes.length - 1, Math.ceil(appendTimes.length * 0.99) - 1)] ?? NaN;
    const p50 = appendTimes[Math.floor(appendTimes.length / 2)] ?? NaN;

    const queries = [
      { recipient: 'bank-a', result: 'success' as const, from: '2024-01-10T00:00:00Z', until: '2024-02-20T00:00:00Z' },
      { provider: 'nhia', subject_type: 'legal' as const, limit: 100 },
      { from: '2024-01-20T00:00:00Z', until: '2024-01-27T00:00:00Z', limit: 200 },
    ];
    const queryTimes: number[] = [];
    let hits = 0;
    for (let r = 0; r < Math.max(RUNS, 5); r++) {
      let worst = 0;
      for (const q of queries) {
        const t0 = performance.now();
        hits = log.query(q).total;
        worst = Math.max(worst, performance.now() - t0);
      }
      queryTimes.push(worst);
    }

    const exportTimes: number[] = [];
    const exportCpu: number[] = [];
    let csv = '';
    for (let r = 0; r < RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      csv = exportCsv(log);
      exportTimes.push(performance.now() - t0);
      const c1 = process.cpuUsage(c0);
      exportCpu.push((c1.user + c1.system) / 1000);
    }
    const verified = verifyCsvExport(csv);
    if (!verified.ok) throw new Error(`bench export did not verify: ${verified.reason}`);
    await log.close();

    const figures: Record<string, Measured> = {
      'history.append_p99_ms': {
        value: round(p99),
        unit: 'ms',
        budget: 5,
        note: `${APPENDS} appends to a ${N}-record log, each awaited through fdatasync; p50 ${round(p50)} ms`,
      },
      'history.open_verify_ms': { value: round(median(opens)), unit: 'ms', budget: 1500, note: `open + full chain check + index of ${N} records, median of ${RUNS} (process CPU on both threads ${round(median(openCpu))} ms)` },
      'history.query_ms': { value: round(median(queryTimes)), unit: 'ms', budget: 100, note: `slowest of 3 filtered queries over ${N + APPENDS} records (last: ${hits} hits), median` },
      'history.export_csv_ms': { value: round(median(exportTimes)), unit: 'ms', budget: 3000, note: `CSV export of ${N + APPENDS} records (${Math.round(csv.length / 1e6)} MB), median of ${RUNS} (process CPU ${round(median(exportCpu))} ms)` },
    };
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
