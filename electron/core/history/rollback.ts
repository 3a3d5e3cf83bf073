// Comparing the history log with its high-water mark (G14): what a log restored from an older copy, cut at a record
// boundary or swapped for another log looks like, as reports the person sees until they acknowledge them.
import { randomUUID } from 'node:crypto';
import type { HistoryReport } from '../../contract/history.ts';
import type { MarkProblem, MarkState } from '../integrity/mark.ts';
import { GENESIS } from './chain.ts';

/** What the log holds, as the mark describes it. */
export interface LogPosition {
  fileId: Buffer;
  /** Chain length: pruned records plus the records in the file (the next record's seq). */
  length: number;
  head: string;
  /** The chain head after the first `n` records, or null when it cannot be known any more (pruned away). */
  headAt(n: number): string | null;
}

export function markOf(p: LogPosition): MarkState {
  return { fileId: p.fileId, count: p.length, head: Buffer.from(p.head, 'hex') };
}

/**
 * Whether the log is the file the mark names, holding that state or a continuation of it (appended to since).
 * Every rewrite (pruning, keeping the valid part, deleting all) makes a new file id and announces it in the mark
 * first, so an older copy of the log, even one whose chain the current log continues, does not pass.
 */
export function continues(p: LogPosition, s: MarkState): boolean {
  if (!p.fileId.equals(s.fileId) || p.length < s.count) return false;
  const at = p.headAt(s.count);
  // A prefix dropped by retention cannot be compared; the encrypted checkpoint vouches for it instead.
  return at === null || at === s.head.toString('hex');
}

/**
 * The report for a log that does not continue its mark, or for a missing or altered mark (null when all is well).
 * `pending` is a rewrite announced before a crash: a log showing that state is fine too.
 */
export function compareWithMark(
  p: LogPosition,
  mark: { current: MarkState | null; pending: MarkState | null },
  problem: MarkProblem | null,
  now: Date,
): HistoryReport | null {
  const found = { count: p.length, head: p.head };
  const base = { id: randomUUID(), detected_at: now.toISOString(), found, missing: 0, torn: null };
  if (problem === 'tampered') return { ...base, kind: 'mark-tampered', expected: null };
  // No mark and an empty log: a new history (or the first start of a version that keeps marks with an empty one).
  if (problem === 'missing') return p.length === 0 && p.head === GENESIS ? null : { ...base, kind: 'mark-missing', expected: null };
  const { current, pending } = mark;
  if (current === null) return null;
  if (continues(p, current) || (pending !== null && continues(p, pending))) return null;
  const expected = { count: current.count, head: current.head.toString('hex') };
  // Shorter than the mark: an older copy restored, or records cut off the end. Otherwise another chain altogether.
  if (p.length < current.count) return { ...base, kind: 'rolled-back', expected, missing: current.count - p.length };
  return { ...base, kind: 'replaced', expected };
}
