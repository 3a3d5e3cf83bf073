// The history's kill harness (G14, §9), shared by crash.test.ts (a few kills) and the bench (hundreds): a child appends
// until SIGKILLed at a random point; the parent reopens the log and counts what an acknowledged append lost.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { KEY } from './fixtures.ts';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
export const MARK_KEY = new Uint8Array(32).fill(5);

/** Where a kill test keeps its log and the log's high-water mark (beside the log's folder, as the app does). */
export function crashPaths(root: string): { dir: string; mark: string } {
  return { dir: join(root, 'history'), mark: join(root, 'history.mark') };
}

export function openForCrash(root: string): Promise<HistoryLog> {
  const { dir, mark } = crashPaths(root);
  return HistoryLog.open({ dir, key: KEY, mark: { path: mark, key: MARK_KEY } });
}

/** Runs the child until it has acknowledged at least `minAcks` records, waits `extraMs` more, then SIGKILLs it. */
export function runAndKill(root: string, minAcks: number, extraMs: number): Promise<string[]> {
  const { dir, mark } = crashPaths(root);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, mark], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: string[] = [];
    let buffered = '';
    let stderr = '';
    let armed = false;
    const timeout = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acks.push(line.slice(4));
      if (!armed && acks.length >= minAcks) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), extraMs);
      }
    });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      clearTimeout(timeout);
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed: ${stderr}`));
      else resolve(acks);
    });
  });
}

export interface KillOutcome {
  /** Acknowledged records missing after the reopen (must be 0). */
  lost: number;
  /** Records present without an acknowledgement (at most the one append in flight). */
  unacknowledged: number;
  /** Anything else wrong with the reopen: a break, a rollback or mark report, a gap in seq, a temp file left. */
  problems: string[];
  /** Every record id the log holds now: the next round's acknowledged set. */
  ids: string[];
}

/** Reopens after a kill and checks it against everything acknowledged so far. */
export async function checkAfterKill(root: string, acknowledged: readonly string[]): Promise<KillOutcome> {
  const log = await openForCrash(root);
  try {
    const problems: string[] = [];
    const integrity = log.integrity();
    if (integrity.broken) problems.push(`broken at ${String(integrity.broken.position)} (${integrity.broken.reason})`);
    // A torn tail is the expected trace of a kill mid-append; anything else the mark reports is not.
    for (const r of integrity.reports) if (r.kind !== 'torn-tail') problems.push(`report ${r.kind}`);
    const seqs = log.records().map((r) => r.seq);
    if (seqs.some((s, i) => s !== i)) problems.push('records out of sequence');
    const ids = log.records().map((r) => r.id);
    const present = new Set(ids);
    const lost = acknowledged.filter((id) => !present.has(id)).length;
    const known = new Set(acknowledged);
    const unacknowledged = ids.filter((id) => !known.has(id)).length;
    if (unacknowledged > 1) problems.push(`${String(unacknowledged)} records without an acknowledgement`);
    const temps = [...readdirSync(crashPaths(root).dir), ...readdirSync(dirname(crashPaths(root).mark))].filter((n) => n.endsWith('.tmp'));
    if (temps.length > 0) problems.push(`temporary files left: ${temps.join(', ')}`);
    // Acknowledge the torn-tail reports so the next round starts clean.
    if (integrity.reports.length > 0) await log.acknowledge();
    return { lost, unacknowledged, problems, ids };
  } finally {
    await log.close();
  }
}
