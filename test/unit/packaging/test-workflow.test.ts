// Pins the shape of the real-Electron workflow: three runners, the binary installed, the whole Playwright suite, the
// update flow, the packaged app's journey, Linux under xvfb-run, and evidence uploaded on failure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, string> };
type Workflow = { permissions: Record<string, string>; jobs: Record<string, { strategy: { matrix: { os: string[] } }; steps: Step[] }> };
const workflow = parse(readFileSync(path.join(root, '.github/workflows/test.yml'), 'utf8')) as Workflow;
const job = workflow.jobs['electron'];
const steps = job?.steps ?? [];
const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
const index = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));

describe('.github/workflows/test.yml', () => {
  it('only reads the repository and runs on Linux, Windows and macOS', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(job?.strategy.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
  });

  it('installs with the binary, builds, then runs the suite, the update flow, packages and takes the packaged journey, in that order', () => {
    const order = [/^npm ci$/, /^node \.ci\/electron-binary\.mjs$/, /^npm run build$/, /npx playwright test --reporter/, /npx vitest run test\/integration\/update/, /electron-builder --dir/, /node \.ci\/packaged-app\.mjs/, /playwright test test\/e2e\/packaged\.spec\.ts/];
    const at = order.map(index);
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(runs.join('\n')).not.toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
  });

  it('runs Electron under xvfb-run on Linux', () => {
    for (const pattern of [/npx playwright test --reporter/, /npx vitest run test\/integration\/update/, /packaged\.spec\.ts/]) {
      expect(runs[index(pattern)]).toMatch(/xvfb-run --auto-servernum -- npx/);
    }
  });

  it('points the packaged journey at the executable electron-builder made', () => {
    expect(runs[index(/packaged-app\.mjs/)]).toBe('echo "MYDATA_PACKAGED_APP=$(node .ci/packaged-app.mjs)" >> "$GITHUB_ENV"');
  });

  it('uploads screenshots and traces when a step fails', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('failure()');
    expect(upload?.with?.path).toContain('test-results/');
  });
});
