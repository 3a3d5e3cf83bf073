// Reliability of the download spool under SIGKILL (the harness in test/support/spool-kill.ts, also run small by
// test/unit/package/spool-kill.test.ts).
//
// reliability.spool_kills_lost — method: a child process opens a transaction's spool (taking up what the last one
// left), appends a known byte stream in network-sized chunks and prints each flushed length (acknowledged); it is
// SIGKILLed after a random 0–60 ms. After every kill a clean open of the spool must take up at least the last
// acknowledged length. KILLS kills (default 200); the figure is the acknowledged bytes lost over all of them.
// reliability.spool_kills_bad_opens — opens that threw, took up a byte other than the one written (torn data
// accepted), or found a file other than the spool in its folder (a temp file left behind), over the same kills.
// reliability.spool_refetch_kib — the most written-but-unacknowledged data a kill cost (what a resumed download fetches
// again after a crash; budget 1 MiB).
import { runSpoolKills } from '../../support/spool-kill.ts';
import type { FigureSource, Measured } from '../types.ts';

const KILLS = Number(process.env.BENCH_SPOOL_KILLS ?? 200);

export const measure: FigureSource = async () => {
  const started = performance.now();
  const r = await runSpoolKills(KILLS);
  const seconds = Math.round((performance.now() - started) / 1000);
  const figures: Record<string, Measured> = {
    'reliability.spool_kills_lost': {
      value: r.lostBytes,
      unit: 'bytes',
      budget: 0,
      note: `${r.kills} SIGKILLs of a child writing a download to the spool (${seconds} s): ${r.lostKills} kills lost acknowledged bytes; ${Math.round(r.acknowledgedBytes / 1024 / 1024)} MiB acknowledged in all`,
    },
    'reliability.spool_kills_bad_opens': {
      value: r.failedOpens + r.tornAccepted + r.strayFiles,
      unit: 'opens',
      budget: 0,
      note: `after ${r.kills} kills: ${r.failedOpens} opens failed, ${r.tornAccepted} took up torn or wrong bytes, ${r.strayFiles} left a stray file`,
    },
    'reliability.spool_refetch_kib': {
      value: Math.round(r.maxRefetchBytes / 1024),
      unit: 'KiB',
      budget: 1024,
      note: `largest written-but-unacknowledged tail a kill cost over ${r.kills} kills (fetched again by the resume)`,
    },
  };
  return figures;
};
