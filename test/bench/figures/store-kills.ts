// Kill tests at scale for the local stores (§9, G14): the history and vault crash harnesses of the unit tests, run
// hundreds of times each. A child appends history records (or stores and deletes vault packages) and is SIGKILLed at a
// random moment; the parent reopens with the high-water mark and counts what it had been told was done but is gone.
// reliability.history_kills_lost — acknowledged history records missing after a reopen, summed over all kills.
// reliability.vault_kills_lost   — reported vault packages missing after a reopen, summed over all kills.
// Both must be 0. Each kill's reopen must also be clean (no break, no rollback or mark report, no temporary file, no
// torn record accepted, nothing deleted coming back); any such problem fails the figure (the run stops with it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkAfterKill as checkHistory, runAndKill as killHistory } from '../../unit/history/crash-harness.ts';
import { absorb, checkAfterKill as checkVault, runAndKill as killVault, type Expectation } from '../../unit/vault/crash-harness.ts';
import type { FigureSource, Measured } from '../types.ts';

const KILLS = Number(process.env.BENCH_KILLS ?? 200);

async function historyKills(): Promise<Measured> {
  const root = mkdtempSync(path.join(tmpdir(), 'mydata-bench-kill-history-'));
  try {
    let acknowledged: string[] = [];
    let lost = 0;
    let acks = 0;
    let unacknowledged = 0;
    for (let i = 0; i < KILLS; i++) {
      // Kill after 1–25 acknowledgements plus 0–40 ms: in the write, between the record and its mark, or idle.
      const run = await killHistory(root, 1 + (i % 25), (i * 7) % 41);
      acks += run.length;
      const outcome = await checkHistory(root, [...acknowledged, ...run]);
      if (outcome.problems.length > 0) throw new Error(`history kill ${String(i)}: ${outcome.problems.join('; ')}`);
      lost += outcome.lost;
      unacknowledged += outcome.unacknowledged;
      acknowledged = outcome.ids;
    }
    return {
      value: lost,
      unit: 'records',
      budget: 0,
      note: `${String(KILLS)} SIGKILLs of an appending child, ${String(acks)} acknowledged appends; ${String(unacknowledged)} in-flight appends found durable without their acknowledgement (allowed); every reopen clean`,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function vaultKills(): Promise<Measured> {
  const root = mkdtempSync(path.join(tmpdir(), 'mydata-bench-kill-vault-'));
  try {
    const state: Expectation = { expected: new Map(), gone: new Set() };
    let lost = 0;
    let committed = 0;
    let duringOpen = 0;
    for (let i = 0; i < KILLS; i++) {
      // Every fourth kill is timed from the spawn, so it lands in the open, its sweep or the first writes.
      const early = i % 4 === 3;
      if (early) duringOpen++;
      const run = await killVault(root, i + 1, early ? (i * 37) % 700 : (i * 53) % 400, early);
      absorb(state, run);
      committed += run.committed.size;
      const outcome = await checkVault(root, state);
      if (outcome.problems.length > 0) throw new Error(`vault kill ${String(i)}: ${outcome.problems.join('; ')}`);
      lost += outcome.lost;
    }
    return {
      value: lost,
      unit: 'packages',
      budget: 0,
      note: `${String(KILLS)} SIGKILLs of a storing/deleting child (${String(duringOpen)} timed from spawn), ${String(committed)} reported stores; every reopen clean, no orphan blob, no temp file`,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const measure: FigureSource = async () => ({
  'reliability.history_kills_lost': await historyKills(),
  'reliability.vault_kills_lost': await vaultKills(),
});
