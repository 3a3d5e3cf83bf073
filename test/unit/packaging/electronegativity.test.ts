// The security-scan gate: parsing electronegativity's issues, the MEDIUM threshold, reviewed findings, and the real tool offline.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatTable,
  judge,
  normaliseIssues,
  ReportFormatError,
  type Finding,
  type ReviewedFinding,
} from '../../tools/electronegativity-report.ts';
import { REVIEWED_FINDINGS } from '../../tools/electronegativity-reviewed.ts';
import { evaluateCsp, lowerForScanner, scan, scanStaged, stage, windowOptionsProbe } from '../../tools/electronegativity-scan.ts';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.ts';
import { mainWindowOptions } from '../../../electron/main/window.ts';

// Issues as electronegativity 1.10.3's runner returned them for a window with `nodeIntegration: true` (captured).
const fixture: unknown = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'electronegativity-issues.json'), 'utf8'));

function finding(overrides: Partial<Finding>): Finding {
  return {
    target: 'source',
    check: 'OPEN_EXTERNAL_JS_CHECK',
    severity: 'MEDIUM',
    confidence: 'TENTATIVE',
    file: 'electron/main/index.ts',
    line: 1,
    column: 0,
    sample: '',
    description: 'Review the use of openExternal',
    manualReview: true,
    ...overrides,
  };
}

describe('normaliseIssues', () => {
  it('reads the runner’s issues, global and located', () => {
    const findings = normaliseIssues('source', fixture);
    expect(findings.map((f) => [f.check, f.severity, f.confidence, f.file, f.line])).toEqual([
      ['CSP_GLOBAL_CHECK', 'MEDIUM', 'CERTAIN', 'N/A', 0],
      ['NODE_INTEGRATION_JS_CHECK', 'INFORMATIONAL', 'FIRM', 'b.ts', 2],
      ['SANDBOX_JS_CHECK', 'MEDIUM', 'FIRM', 'b.ts', 2],
    ]);
    expect(findings[2]?.sample).toContain('new BrowserWindow');
  });

  it('refuses output it does not understand instead of reading it as clean', () => {
    expect(() => normaliseIssues('source', undefined)).toThrow(ReportFormatError);
    expect(() => normaliseIssues('source', [{ id: 'X', file: 'a.js' }])).toThrow(ReportFormatError);
    expect(() =>
      normaliseIssues('source', [{ id: 'X', file: 'a.js', severity: { name: 'SEVERE' }, confidence: { name: 'FIRM' } }]),
    ).toThrow(/unknown severity/);
  });
});

describe('judge (threshold MEDIUM)', () => {
  it('fails on the fixture’s unreviewed MEDIUM findings', () => {
    const gate = judge(normaliseIssues('source', fixture), []);
    expect(gate.ok).toBe(false);
    expect(gate.failures.map((f) => f.check)).toEqual(['CSP_GLOBAL_CHECK', 'SANDBOX_JS_CHECK']);
    expect(gate.findings.find((f) => f.check === 'NODE_INTEGRATION_JS_CHECK')?.verdict).toBe('below-threshold');
  });

  it('fails on HIGH, passes LOW and INFORMATIONAL', () => {
    expect(judge([finding({ severity: 'HIGH' })], []).ok).toBe(false);
    expect(judge([finding({ severity: 'LOW' }), finding({ severity: 'INFORMATIONAL' })], []).ok).toBe(true);
    expect(judge([], []).ok).toBe(true);
  });

  const review: ReviewedFinding = {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: /^electron\/main\/index\.ts$/,
    sampleIncludes: 'shell.openExternal(url)',
    reason: 'allowlisted',
    evidence: [],
  };

  it('accepts a reviewed finding only where check, file and flagged line all match', () => {
    const same = finding({ sample: 'shell: { open: (url) => shell.openExternal(url) },' });
    expect(judge([same], [review])).toMatchObject({ ok: true, unusedReviews: [] });

    const otherLine = finding({ sample: 'shell.openExternal(request.url)' });
    const otherFile = finding({ file: 'electron/main/ipc.ts', sample: same.sample });
    const otherCheck = finding({ check: 'PROTOCOL_HANDLER_JS_CHECK', sample: same.sample });
    for (const changed of [otherLine, otherFile, otherCheck]) {
      expect(judge([changed], [review]).ok).toBe(false);
    }
  });

  it('does not let a whole-app review excuse a finding at a location', () => {
    const global: ReviewedFinding = { check: 'CSP_GLOBAL_CHECK', file: /.*/, reason: 'header', evidence: [] };
    expect(judge([finding({ check: 'CSP_GLOBAL_CHECK', file: 'N/A' })], [global]).ok).toBe(true);
    expect(judge([finding({ check: 'CSP_GLOBAL_CHECK', file: 'out/renderer/index.html' })], [global]).ok).toBe(false);
  });

  it('reports reviewed entries that matched nothing', () => {
    expect(judge([], [review]).unusedReviews).toEqual([review]);
  });

  it('the project’s reviewed list does not excuse a new openExternal elsewhere', () => {
    const fresh = finding({ file: 'electron/main/ipc.ts', sample: 'await shell.openExternal(payload.url);' });
    expect(judge([fresh], REVIEWED_FINDINGS).ok).toBe(false);
  });

  it('prints failures in the table', () => {
    const table = formatTable(judge(normaliseIssues('source', fixture), []).findings);
    expect(table.split('\n')[2]).toMatch(/^FAIL\s+MEDIUM\s+CERTAIN\s+CSP_GLOBAL_CHECK\s+source \(whole app\)/);
    expect(table).toMatch(/FAIL\s+MEDIUM\s+FIRM\s+SANDBOX_JS_CHECK\s+b\.ts:2:32/);
  });
});

describe('evaluateCsp', () => {
  it('rates a policy with unsafe-inline script as MEDIUM, failing the gate', () => {
    const findings = evaluateCsp('source', 'x.ts', "default-src 'self'; script-src 'self' 'unsafe-inline'");
    expect(findings.some((f) => f.severity === 'MEDIUM' && f.sample.includes("'unsafe-inline'"))).toBe(true);
    expect(judge(findings, REVIEWED_FINDINGS).ok).toBe(false);
  });

  it('finds nothing of MEDIUM or more in the app’s own CSP', () => {
    const findings = evaluateCsp('source', 'electron/main/security.ts', CONTENT_SECURITY_POLICY);
    expect(judge(findings, []).failures).toEqual([]);
  });
});

describe('the real electronegativity, offline', () => {
  let fixtureDir = '';
  beforeAll(async () => {
    fixtureDir = await mkdtemp(path.join(tmpdir(), 'eneg-fixture-'));
    await writeFile(
      path.join(fixtureDir, 'main.js'),
      "const { BrowserWindow } = require('electron');\n" +
        'new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false, nodeIntegration: true } });\n',
    );
    // The tool itself ignores .cjs files; stage() must rename it so the preload bundle is read.
    await writeFile(
      path.join(fixtureDir, 'preload.cjs'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { webSecurity: false } });\n",
    );
    await writeFile(path.join(fixtureDir, 'broken.js'), 'export const = ;\n');
  });
  afterAll(async () => {
    await rm(fixtureDir, { recursive: true, force: true });
  });

  it('finds insecure window options, maps .cjs back, reports unparsable files', async () => {
    const staged = await stage([{ from: fixtureDir, as: 'fx' }]);
    try {
      expect(staged.scannable.sort()).toEqual(['fx/broken.js', 'fx/main.js', 'fx/preload.js']);
      const result = await scan('fixture', staged.dir, { original: staged.original });
      const located = result.findings.filter((f) => f.file !== 'N/A').map((f) => [f.check, f.severity, path.basename(f.file)]);
      expect(located).toEqual(
        expect.arrayContaining([
          ['CONTEXT_ISOLATION_JS_CHECK', 'HIGH', 'main.js'],
          ['SANDBOX_JS_CHECK', 'MEDIUM', 'main.js'],
          ['WEB_SECURITY_JS_CHECK', 'MEDIUM', 'preload.cjs'],
        ]),
      );
      expect(judge(result.findings, REVIEWED_FINDINGS).ok).toBe(false);
      expect(result.parseErrors).toEqual([expect.objectContaining({ tolerable: false, file: expect.stringMatching(/broken\.js$/) })]);
    } finally {
      await staged.cleanup();
    }
  });

  it('sees the real window options through the probe', async () => {
    const options = mainWindowOptions({
      preloadPath: '/app/out/preload/index.cjs',
      startUrl: 'app://app/index.html',
      title: 'MyData Desktop',
      backgroundColor: '#ffffff',
    });
    const weakened = { ...options, webPreferences: { ...options.webPreferences, sandbox: false } };
    const dir = await mkdtemp(path.join(tmpdir(), 'eneg-probe-'));
    try {
      await writeFile(path.join(dir, 'real.js'), windowOptionsProbe(options));
      await writeFile(path.join(dir, 'weakened.js'), windowOptionsProbe(weakened));
      const { findings } = await scan('probe', dir);
      const checksIn = (file: string): string[] => findings.filter((f) => f.file === file).map((f) => f.check);
      expect(checksIn('weakened.js')).toContain('SANDBOX_JS_CHECK');
      expect(checksIn('real.js')).not.toContain('SANDBOX_JS_CHECK');
      expect(checksIn('real.js')).toContain('PRELOAD_JS_CHECK');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lowers a file the tool cannot parse (class private fields) and scans it instead of skipping it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'eneg-modern-'));
    try {
      await writeFile(
        path.join(dir, 'main.js'),
        "import { BrowserWindow } from 'electron';\n" +
          'export class Windows {\n  #count = 0;\n  open() {\n    this.#count += 1;\n' +
          '    return new BrowserWindow({ webPreferences: { sandbox: false } });\n  }\n}\n',
      );
      const unlowered = await scan('modern', dir);
      expect(unlowered.parseErrors.map((e) => e.message)).toEqual([expect.stringMatching(/Unknown node type/)]);

      const staged = await stage([{ from: dir, as: 'm' }]);
      try {
        const result = await scanStaged('modern', staged);
        expect(result.parseErrors).toEqual([]);
        expect(result.lowered).toEqual([expect.stringMatching(/main\.js$/)]);
        expect(result.findings.map((f) => f.check)).toContain('SANDBOX_JS_CHECK');
      } finally {
        await staged.cleanup();
      }
    } finally {
            await rm(dir, { recursive: true, force: true });
    }
  });

  it('lowers with Oxc what TypeScript leaves unreadable (a private method calling super, as in pdf.js’s worker) and scans it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'eneg-super-'));
    try {
      await writeFile(
        path.join(dir, 'worker.mjs'),
        "import { BrowserWindow } from 'electron';\n" +
          'class Base {\n  open() {\n    return new BrowserWindow({ webPreferences: { sandbox: false } });\n  }\n}\n' +
          'export class Derived extends Base {\n  #open() {\n    return super.open();\n  }\n  run() {\n    return this.#open();\n  }\n}\n',
      );
      const staged = await stage([{ from: dir, as: 'w' }]);
      try {
        expect((await scan('super', staged.dir)).parseErrors).toHaveLength(1);
        // TypeScript's lowering moves the private method out of the class with its `super` still in it.
        const byTypescript = lowerForScanner(await readFile(path.join(staged.dir, 'w', 'worker.js'), 'utf8'), 'worker.js');
        expect(byTypescript).toMatch(/function _Derived_open\(\) \{\s*return super\.open\(\);/);
        const result = await scanStaged('super', staged);
        expect(result.parseErrors).toEqual([]);
        expect(result.lowered).toEqual([expect.stringMatching(/worker\.mjs$/)]);
        expect(result.findings.map((f) => f.check)).toContain('SANDBOX_JS_CHECK');
      } finally {
        await staged.cleanup();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
