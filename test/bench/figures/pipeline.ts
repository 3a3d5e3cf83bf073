// Pipeline figures: the one-time download's cost over a plain download, and its memory, with synthetic packages over loopback.
//
// pipeline.ratio_vs_raw — method: a 512 MiB synthetic package (one signed provider part, stored entries; see
// lib/pipeline-package.ts) is served over 127.0.0.1 by a plain HTTP server with Content-Length and Repr-Digest. In
// fresh child processes (lib/pipeline-child.ts) we time (a) raw: fetch the body to a file, then one SHA-256 pass over
// the file; (b) pipeline: downloadPackage — 429-free status call, streamed download with SHA-256 into the encrypted
// spool, package verification (signature, chain, every digest) and AES-GCM encryption into a fresh vault. Raw and
// pipeline alternate, RUNS times each; the ratio of the medians is reported.
// pipeline.main_lag_p99_ms — the 99th percentile of the event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms
// resolution) in the pipeline child during the 512 MiB pipeline: in the app this loop also answers the renderer's IPC,
// so this is how late main answers while a download runs. Largest of the RUNS runs.
// pipeline.rss_growth_mib_64 / _512 — peak RSS of the pipeline child above its baseline after opening the vault,
// sampled every 5 ms and from the OS high-water mark, for 64 MiB and 512 MiB packages (the largest run reported).
// The child runs without --expose-gc, as the app does, so the pipeline's memory pacer (core/memory-pacer.ts) is
// measured the way it works in the app.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBenchPackage, type BuiltBenchPackage } from '../lib/pipeline-package.ts';
import { median, type BenchContext, type FigureSource, type Measured } from '../types.ts';

const RUNS = Number(process.env.BENCH_PIPELINE_RUNS ?? 2);
const MIB = 1024 * 1024;

function serve(pkg: BuiltBenchPackage): Promise<{ server: Server; base: string }> {
  const digest = Buffer.from(pkg.sha256, 'hex').toString('base64');
  const server = createServer((req, res) => {
    if (req.url === '/transactions/bench') {
      const body = JSON.stringify({ tx_id: 'bench', status: 200, package: { size: pkg.size, sha256: pkg.sha256 } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
      return;
    }
    if (req.url === '/transactions/bench/package') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(pkg.size), 'repr-digest': `sha-256=:${digest}:` });
      createReadStream(pkg.path, { highWaterMark: 256 * 1024 }).pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, base: `http://127.0.0.1:${port}/` });
    });
  });
}

type ChildResult = { ms: number; rssGrowthMiB?: number; bytes: number; lagP99Ms?: number; lagMaxMs?: number };

function child(root: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'test', 'bench', 'lib', 'pipeline-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    proc.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`pipeline child ${args[0] ?? ''} failed (${code ?? 'signal'}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildResult);
    });
  });
}

async function withPackage<T>(work: string, mib: number, run: (pkg: BuiltBenchPackage, base: string, caFile: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(work, `pkg-${mib}-`));
  const pkg = await buildBenchPackage(dir, mib * MIB);
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, pkg.caPem);
  const { server, base } = await serve(pkg);
  try {
    return await run(pkg, base, caFile);
  } finally {
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const measure: FigureSource = async (ctx: BenchContext) => {
  const work = mkdtempSync(path.join(tmpdir(), 'mydata-bench-pipeline-'));
  try {
    const big = await withPackage(work, 512, async (pkg, base, caFile) => {
      const raw: number[] = [];
      const piped: number[] = [];
      const rss: number[] = [];
      const lag: number[] = [];
      const lagMax: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        raw.push((await child(ctx.root, ['raw', base, work])).ms);
        const p = await child(ctx.root, ['pipeline', base, work, caFile]);
        piped.push(p.ms);
        rss.push(p.rssGrowthMiB ?? Infinity);
        lag.push(p.lagP99Ms ?? Infinity);
        lagMax.push(p.lagMaxMs ?? Infinity);
      }
      return { raw: median(raw), piped: median(piped), rss: Math.max(...rss), lag: Math.max(...lag), lagMax: Math.max(...lagMax), runs: { raw, piped }, size: pkg.size };
    });
    const small = await withPackage(work, 64, async (_pkg, base, caFile) => {
      const rss: number[] = [];
      for (let i = 0; i < RUNS; i++) rss.push((await child(ctx.root, ['pipeline', base, work, caFile])).rssGrowthMiB ?? Infinity);
      return Math.max(...rss);
    });
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    const figures: Record<string, Measured> = {
      'pipeline.ratio_vs_raw': {
        value: round(big.piped / big.raw),
        unit: 'ratio',
        budget: 1.3,
        note: `512 MiB over loopback: pipeline ${Math.round(big.piped)} ms vs raw download + SHA-256 ${Math.round(big.raw)} ms (medians of ${RUNS} alternating runs, fresh processes; pipeline runs ${big.runs.piped.map(Math.round).join(', ')} ms, raw ${big.runs.raw.map(Math.round).join(', ')} ms)`,
      },
      'pipeline.main_lag_p99_ms': {
        value: round(big.lag, 1),
        unit: 'ms',
        budget: 20,
        note: `event-loop delay p99 of the process running the 512 MiB pipeline, largest of ${RUNS} (largest single delay ${Math.round(big.lagMax)} ms)`,
      },
      'pipeline.rss_growth_mib_64': { value: round(small, 1), unit: 'MiB', budget: 100, note: `peak RSS growth of the pipeline process, 64 MiB package, largest of ${RUNS}` },
      'pipeline.rss_growth_mib_512': { value: round(big.rss, 1), unit: 'MiB', budget: 100, note: `peak RSS growth of the pipeline process, 512 MiB package, largest of ${RUNS}` },
    };
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
