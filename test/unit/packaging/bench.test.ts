// The bench harness's pure parts: which scripts count as initial JS, budget checks, medians.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { initialJsGzip, initialScriptUrls, resolveLocal } from '../../bench/lib/initial-js.ts';
import { isOk, median } from '../../bench/types.ts';

const VITE_HTML = `<!doctype html>
<html lang="zh-TW">
  <head>
    <script type="module" crossorigin src="./assets/index-abc.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/vendor-def.js">
    <link rel="stylesheet" crossorigin href="./assets/index-123.css">
    <!-- <script type="module" src="./assets/commented.js"></script> -->
    <script src="./assets/classic.js"></script>
    <link rel="preload" as="script" href="./assets/lazy.js">
  </head>
  <body><div id="root"></div></body>
</html>`;

describe('initialScriptUrls', () => {
  it('takes module entry scripts and modulepreload links, nothing else', () => {
    expect(initialScriptUrls(VITE_HTML)).toEqual(['./assets/index-abc.js', './assets/vendor-def.js']);
  });

  it('reads attributes in any order and quoting', () => {
    expect(initialScriptUrls(`<SCRIPT src=/a.js TYPE='module'></SCRIPT><link href="/b.js" rel="modulepreload">`)).toEqual([
      '/a.js',
      '/b.js',
    ]);
  });
});

describe('resolveLocal', () => {
  it('refuses remote scripts and paths that leave the renderer folder', () => {
    expect(() => resolveLocal('/r', 'https://cdn.example/x.js')).toThrow(/remote/);
    expect(() => resolveLocal('/r', '//cdn.example/x.js')).toThrow(/remote/);
    expect(() => resolveLocal('/r', '../secret.js')).toThrow(/outside/);
    expect(resolveLocal('/r', './assets/a.js?v=1')).toBe(path.resolve('/r/assets/a.js'));
  });
});

describe('initialJsGzip', () => {
  it('sums gzip -9 sizes of the initial scripts only', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-initial-'));
    try {
      await mkdir(path.join(dir, 'assets'));
      const entry = 'console.log("entry");'.repeat(200);
      const vendor = 'export const v = 1;'.repeat(500);
      await writeFile(path.join(dir, 'index.html'), VITE_HTML);
      await writeFile(path.join(dir, 'assets', 'index-abc.js'), entry);
      await writeFile(path.join(dir, 'assets', 'vendor-def.js'), vendor);
      await writeFile(path.join(dir, 'assets', 'lazy.js'), 'x'.repeat(100_000));
      const result = await initialJsGzip(dir);
      expect(result.files.map((f) => f.file)).toEqual([path.join('assets', 'index-abc.js'), path.join('assets', 'vendor-def.js')]);
      expect(result.gzipBytes).toBe(gzipSync(entry, { level: 9 }).length + gzipSync(vendor, { level: 9 }).length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('budgets', () => {
  it('is ok at or under a lower-is-better budget, and never for NaN', () => {
    expect(isOk({ value: 200, unit: 'KiB', budget: 200 })).toBe(true);
    expect(isOk({ value: 200.1, unit: 'KiB', budget: 200 })).toBe(false);
    expect(isOk({ value: Number.NaN, unit: 'KiB', budget: 200 })).toBe(false);
    expect(isOk({ value: 5, unit: 'ops', budget: 10, better: 'higher' })).toBe(false);
  });

  it('never fails a report-only figure that has a value, but still fails one that has none', () => {
    expect(isOk({ value: 4.2, unit: 'ratio', budget: 1.5, reportOnly: true })).toBe(true);
    expect(isOk({ value: Number.NaN, unit: 'ratio', budget: 1.5, reportOnly: true })).toBe(false);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});
