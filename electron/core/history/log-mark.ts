// The history log's high-water mark at open: comparing the log with it, keeping what is found as reports, moving it on.
import { randomUUID } from 'node:crypto';
import { HistoryReportSchema, type HistoryReport } from '../../contract/history.ts';
import { MarkFile, sameState } from '../integrity/mark.ts';
import type { ChainState } from './chain-reader.ts';
import { compareWithMark, markOf, type LogPosition } from './rollback.ts';

/** Reports as kept in the mark; anything that does not parse (a newer version's kind) is kept out of the screen. */
function parseReports(values: readonly unknown[]): HistoryReport[] {
  const out: HistoryReport[] = [];
  for (const v of values) {
    const parsed = HistoryReportSchema.safeParse(v);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/**
 * Compares the log with its mark, keeps what is found as reports until acknowledged (a torn tail too), and moves
 * the mark to the log: the reports hold the evidence, and new records must extend the mark again. Without a mark,
 * only a torn tail is reported.
 */
export async function reconcileMark(
  options: { path: string; key: Uint8Array } | null,
  state: ChainState,
  position: LogPosition,
  now: Date,
): Promise<{ mark: MarkFile | null; reports: HistoryReport[] }> {
  const torn = state.torn;
  const tornReport = (): HistoryReport | null =>
    torn
      ? { id: randomUUID(), kind: 'torn-tail', detected_at: now.toISOString(), expected: null, found: { count: position.length, head: position.head }, missing: 0, torn }
      : null;
  if (!options) {
    const t = tornReport();
    return { mark: null, reports: t ? [t] : [] };
  }
  const { mark, problem } = await MarkFile.open(options.path, options.key, 'history');
  let reports = parseReports(mark.reports);
  const found: HistoryReport[] = [];
  const report = compareWithMark(position, mark, problem, now);
  if (report) found.push(report);
  const t = tornReport();
  if (t) found.push(t);
  // A broken log keeps its mark until the person decides (keepValidPrefix or deleteAll move it).
  const next = state.broken ? (mark.current ?? markOf(position)) : markOf(position);
  if (found.length > 0) reports = [...reports, ...found];
  // A mark that cannot be written now (a full disk) leaves the reports in memory for this run: the mark has not
  // moved, so the next open finds the same again.
  try {
    if (found.length > 0 || problem !== null) await mark.setReports(reports, next);
    else if (!state.broken && (mark.current === null || mark.pending !== null || !sameState(mark.current, next))) await mark.set(next);
  } catch {
    // Kept in memory, see above.
  }
  return { mark, reports };
}
