// `npm run bench`: runs every test/bench/figures/*.ts, writes bench-results.json at the repo root, prints a table.
// Usage: node test/bench/run.ts [figure-file-name ...]   e.g. `node test/bench/run.ts renderer` runs figures/renderer.ts
// only and keeps the other keys already in bench-results.json. Exit code 1 when a figure misses its budget or fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isOk, type BenchContext, type FigureResult, type FigureSource, type Measured } from './types.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const figuresDir = path.join(import.meta.dirname, 'figures');
const resultsFile = path.join(root, 'bench-results.json');

function context(): BenchContext {
  return { root, rendererDir: path.join(root, 'out', 'renderer'), chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' };
}

/** Builds out/ from the sources every time (a few seconds): figures that load built files must measure this code. */
function ensureBuilt(rendererDir: string): void {
  console.log('building out/ with electron-vite …');
  const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  const built = spawnSync(bin, ['build'], { cwd: root, stdio: 'ignore', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (built.status !== 0 || !existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`electron-vite build failed (exit ${built.status ?? built.signal})`);
  }
}

async function figureSources(only: readonly string[]): Promise<{ name: string; measure: FigureSource }[]> {
  const files = (await readdir(figuresDir)).filter((f) => f.endsWith('.ts')).sort();
  const names = files.map((f) => f.slice(0, -'.ts'.length));
  const unknown = only.filter((o) => !names.includes(o));
  if (unknown.length > 0) throw new Error(`no figures file named ${unknown.join(', ')} (have: ${names.join(', ')})`);
  const chosen = only.length > 0 ? names.filter((n) => only.includes(n)) : names;
  return Promise.all(
    chosen.map(async (name) => {
      const mod = (await import(pathToFileURL(path.join(figuresDir, `${name}.ts`)).href)) as { measure?: unknown };
      if (typeof mod.measure !== 'function') throw new Error(`test/bench/figures/${name}.ts exports no measure()`);
      return { name, measure: mod.measure as FigureSource };
    }),
  );
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(rows[0] ?? []), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/**
 * Runs one figures file in a process of its own and returns what it measured. In one shared process, a figure ran
 * differently after another: the 512 MiB pipeline took 3.9 s instead of 2.7 s right after the history figures (its
 * raw comparator did not change), so each figure now starts from a fresh process, as the app's work would.
 */
async function measureApart(name: string): Promise<Record<string, Measured>> {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'mydata-bench-figure-')), 'measured.json');
  try {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--figure', name, out], { stdio: 'inherit', env: process.env });
    if (child.status !== 0 || !existsSync(out)) throw new Error(`figures/${name}.ts failed in its process (exit ${String(child.status ?? child.signal)})`);
    return JSON.parse(await readFile(out, 'utf8')) as Record<string, Measured>;
  } finally {
    await rm(path.dirname(out), { recursive: true, force: true });
  }
}

/** The child's side of measureApart: one figures file, its results written as JSON to `out`. */
async function measureOne(name: string, out: string, ctx: BenchContext): Promise<number> {
  const [source] = await figureSources([name]);
  if (!source) return 2;
  await writeFile(out, JSON.stringify(await source.measure(ctx)));
  return 0;
}

async function main(): Promise<number> {
  if (process.argv[2] === '--figure') {
    const [name, out] = process.argv.slice(3);
    if (name === undefined || out === undefined) return 2;
    return measureOne(name, out, context());
  }
  const only = process.argv.slice(2);
  const ctx = context();
  ensureBuilt(ctx.rendererDir);

  const measured = new Map<string, Measured>();
  const failures: string[] = [];
  for (const source of await figureSources(only)) {
    const started = performance.now();
    try {
      for (const [key, figure] of Object.entries(await measureApart(source.name))) {
        if (measured.has(key)) throw new Error(`figure ${key} is produced twice`);
        measured.set(key, figure);
      }
      console.log(`figures/${source.name}.ts: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failures.push(`figures/${source.name}.ts failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const previous: Record<string, FigureResult> =
    only.length > 0 && existsSync(resultsFile) ? (JSON.parse(await readFile(resultsFile, 'utf8')) as Record<string, FigureResult>) : {};
  const results: Record<string, FigureResult> = { ...previous };
  for (const [key, f] of measured) results[key] = { value: f.value, unit: f.unit, budget: f.budget, ok: isOk(f) };
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(resultsFile, `${JSON.stringify(sorted, null, 2)}\n`);

  const rows = [['figure', 'value', 'unit', 'budget', 'ok']];
  for (const [key, r] of Object.entries(sorted)) {
    const f = measured.get(key);
    const bound = f?.better === 'higher' ? '>=' : '<=';
    const verdict = f?.reportOnly ? `report only${isOk({ ...f, reportOnly: false }) ? '' : ' (over)'}` : r.ok ? 'ok' : 'OVER BUDGET';
    rows.push([key, String(r.value), r.unit, `${bound} ${r.budget}`, `${verdict}${f ? '' : ' (earlier run)'}`]);
  }
  console.log(`\n${table(rows)}\n`);
  for (const [key, f] of measured) if (f.note) console.log(`${key}: ${f.note}`);
  console.log(`\nwrote ${path.relative(process.cwd(), resultsFile) || resultsFile}`);
  for (const failure of failures) console.error(failure);

  const over = [...measured.entries()].filter(([, f]) => !isOk(f)).map(([k]) => k);
  if (over.length > 0) console.error(`over budget: ${over.join(', ')}`);
  return failures.length > 0 || over.length > 0 ? 1 : 0;
}

process.exitCode = await main();
