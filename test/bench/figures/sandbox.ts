// Sandbox figures: how long `npm run sandbox -- --json` takes from spawn to its JSON line (budget 300 ms).
//
// sandbox.start_ms — method: spawns `node electron/sandbox/cli.ts --json` with an existing state folder (the usual case:
// CA and keys already made) and times from spawn until the JSON line is on stdout, which is printed once every server
// listens; Node start-up and module loading are included. One warm-up run creates the state folder (its time is the
// "first start" in the note); then RUNS runs, median reported. The CLI keeps Node's compile cache (the warm-up fills it
// when it is empty); the note also gives one start with the cache turned off (NODE_DISABLE_COMPILE_CACHE).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, type BenchContext, type FigureSource, type Measured } from '../types.ts';

const RUNS = Number(process.env.BENCH_SANDBOX_RUNS ?? 7);

function timeStart(root: string, stateDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'electron', 'sandbox', 'cli.ts'), '--json', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) {
        const elapsed = performance.now() - started;
        const parsed = JSON.parse(out.split('\n')[0] ?? '') as { platform?: unknown };
        child.kill('SIGTERM');
        if (typeof parsed.platform !== 'string') reject(new Error(`unexpected output: ${out}`));
        else resolve(elapsed);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString('utf8'); });
    child.once('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`sandbox exited (${code ?? 'signal'}) before printing: ${err}`));
    });
  });
}

export const measure: FigureSource = async (ctx: BenchContext) => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'mydata-bench-sandbox-'));
  try {
    const first = await timeStart(ctx.root, stateDir);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timeStart(ctx.root, stateDir));
    const uncached = await timeStart(ctx.root, stateDir, { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' });
    const figure: Measured = {
      value: Math.round(median(runs)),
      unit: 'ms',
      budget: 300,
      note: `spawn → JSON line, median of ${RUNS} (min ${Math.round(Math.min(...runs))}, max ${Math.round(Math.max(...runs))}); first start with a new state folder (creates the CA) ${Math.round(first)} ms; one start without the compile cache ${Math.round(uncached)} ms`,
    };
    return { 'sandbox.start_ms': figure };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
};
