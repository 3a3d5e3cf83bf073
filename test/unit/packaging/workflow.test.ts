// Pins the packaging workflow's shape: each platform on its own runner, Node from .nvmrc, the dist scripts, artifacts uploaded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

type Step = { uses?: string; run?: string; with?: Record<string, string> };
type Job = { 'runs-on': string; env?: Record<string, string>; steps: Step[] };
type Workflow = { permissions: Record<string, string>; jobs: Record<string, Job> };

const workflow = parse(readFileSync(path.join(root, '.github/workflows/package.yml'), 'utf8')) as Workflow;

function job(runner: string): Job {
  const found = Object.values(workflow.jobs).find((j) => j['runs-on'] === runner);
  if (!found) throw new Error(`no job runs on ${runner}`);
  return found;
}

describe('.github/workflows/package.yml', () => {
  it('only reads the repository', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  for (const [runner, script, artifact] of [
    ['windows-latest', 'dist:win', '.exe'],
    ['macos-latest', 'dist:mac', '.dmg'],
  ] as const) {
    it(`builds ${script} on ${runner} with Node from .nvmrc and uploads the ${artifact}`, () => {
      const { steps } = job(runner);
      const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
      const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setupNode?.with?.['node-version-file']).toBe('.nvmrc');
      expect(runs).toContain('npm ci');
      expect(runs.some((r) => r.startsWith(`npm run ${script}`))).toBe(true);
      const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(upload?.with?.path).toContain(artifact);
      expect(upload?.with?.['if-no-files-found']).toBe('error');
    });
  }

  it('builds macOS unsigned explicitly rather than failing on a missing identity', () => {
    expect(job('macos-latest').env?.CSC_IDENTITY_AUTO_DISCOVERY).toBe('false');
  });
});
