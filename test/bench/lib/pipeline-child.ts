// One pipeline-bench measurement in a fresh process, so its peak RSS is its own: `raw` (loopback download to a file,
// then one SHA-256 pass) or `pipeline` (downloadPackage: download → verify → encrypt into a vault). Prints one JSON line.
// Usage: node test/bench/lib/pipeline-child.ts <raw|pipeline> <base url> <work dir> [<ca pem file>]
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { downloadPackage } from '../../../electron/core/package/download.ts';
import type { PlatformFetcher } from '../../../electron/core/package/download-transport.ts';
import { openVault } from '../../../electron/core/vault/index.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';

const [mode, base, work, caFile] = process.argv.slice(2);
if ((mode !== 'raw' && mode !== 'pipeline') || base === undefined || work === undefined) {
  console.error('usage: pipeline-child.ts <raw|pipeline> <base url> <work dir> [<ca pem file>]');
  process.exit(2);
}

/** One full collection before the baseline is taken (the same way the pacer finds the collector: no --expose-gc). */
function fullCollection(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  gc();
}

/** Peak RSS above the baseline, sampled every 5 ms and from the OS's own high-water mark. */
function rssWatch(): { stop(): number } {
  const baseline = process.memoryUsage.rss();
  const highWaterBefore = process.resourceUsage().maxRSS * 1024;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      // The OS high-water mark counts only if it rose during the run (else it is from module loading before it).
      const highWater = process.resourceUsage().maxRSS * 1024;
      peak = Math.max(peak, process.memoryUsage.rss(), highWater > highWaterBefore ? highWater : 0);
      return (peak - baseline) / 1024 ** 2;
    },
  };
}

async function raw(): Promise<Record<string, number>> {
  const file = join(work ?? '', 'raw.zip');
  const started = performance.now();
  const res = await fetch(new URL('transactions/bench/package', base));
  if (!res.ok || !res.body) throw new Error(`raw download answered ${res.status}`);
  const out = await open(file, 'w');
  const reader = res.body.getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let written = 0;
    while (written < value.length) written += (await out.write(value, written, value.length - written, at + written)).bytesWritten;
    at += value.length;
  }
  await out.close();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  hash.digest('hex');
  const ms = performance.now() - started;
  await rm(file, { force: true });
  return { ms, bytes: at };
}

async function pipeline(): Promise<Record<string, number>> {
  const caPem = await readFile(caFile ?? '', 'utf8');
  const dir = join(work ?? '', `pipeline-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const vault = await openVault({ dir: join(dir, 'vault'), protector: insecureTestProtector(), clock: { now: () => new Date() } });
  const platform: PlatformFetcher = { fetch: (path, request) => fetch(new URL(path, base), { headers: request?.headers }) };
  // Warm the modules and JIT on nothing heavy, so the baseline holds what the app holds before a download.
  // The child runs without --expose-gc, like the app: the download's memory pacer finds its collector itself.
  await vault.list();
  fullCollection();
  const watch = rssWatch();
  // The event loop here is the one that would answer the renderer's IPC in main: its delay is the app's lag.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  const outcome = await downloadPackage(
    { txId: 'bench', service: { id: 'bench', name: { zh: 'bench', en: 'bench' } }, datasets: [], record: null },
    {
      platform, vault, history: null, spoolDir: join(dir, 'spool'), trustAnchors: [caPem], clock: { now: () => new Date() },
      // The bench package's signer (test fixtures: O=MyData Test) bound to its one dataset.
      verifyOptions: { signers: new Map([['BENCH.P01', { dataset: null, provider: null, signers: ['O=MyData Test'] }]]) },
    },
  );
  const ms = performance.now() - started;
  lag.disable();
  const growth = watch.stop();
  if (outcome.verdict?.ok !== true) throw new Error('the bench package did not verify');
  vault.close();
  await rm(dir, { recursive: true, force: true });
  return { ms, rssGrowthMiB: growth, bytes: outcome.bytes, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 };
}

const result = mode === 'raw' ? await raw() : await pipeline();
console.log(JSON.stringify(result));
