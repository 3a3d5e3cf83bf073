// No link or path in README.md, docs/ or a code comment points outside the repository or at a file that is not there
// (a person who clones the project has only the repository).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkComments, checkMarkdown, checkRepository } from '../../tools/doc-links.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('links and paths in the project', () => {
  it('has the documentation README.md points to', () => {
    const bad = checkMarkdown(root, 'README.md');
    expect(bad).toEqual([]);
    for (const doc of ['docs/architecture.md', 'docs/rules.md', 'docs/package-format.md']) expect(checkMarkdown(root, doc)).toEqual([]);
  });

  it('has no link or path outside the repository or to a missing file, in any Markdown or source comment', () => {
    expect(checkRepository(root).map((b) => `${b.file}:${b.line} ${b.target} (${b.problem})`)).toEqual([]);
  });
});

describe('the link checker', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mydata-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'docs'));
  mkdirSync(path.join(dir, 'electron/core'), { recursive: true });
  writeFileSync(path.join(dir, 'docs/here.md'), '# here\n');
  writeFileSync(path.join(dir, 'electron/core/real.ts'), 'export {};\n');

  // The private folder's name is put together here so that this file itself names no path outside the repository.
  const SHARED = ['..', 'shared'].join('/');

  it('flags Markdown links that leave the repository, name the shared folder or point at nothing', () => {
    writeFileSync(
      path.join(dir, 'README.md'),
      [
        'Fine: [here](docs/here.md), [web](https://example.org/x), [anchor](#top), `electron/core/real.ts`, `out/main/index.js`.',
        `Bad: [design](${SHARED}/ARCHITECTURE.md) and [gone](docs/gone.md)`,
        'Bad: `electron/core/missing.ts` and [up](../../etc/passwd)',
      ].join('\n'),
    );
    const found = checkMarkdown(dir, 'README.md').map((b) => `${b.line} ${b.target}: ${b.problem}`);
    expect(found.sort()).toEqual([
      `2 ${SHARED}/ARCHITECTURE.md: names the private shared folder`,
      '2 docs/gone.md: does not exist',
      '3 ../../etc/passwd: outside the repository',
      '3 electron/core/missing.ts: does not exist',
    ]);
  });

  it('flags paths in comments, and only in comments', () => {
    writeFileSync(
      path.join(dir, 'electron/core/a.ts'),
      [
        "// Uses ./real.ts and docs/here.md; see ../../../outside/notes.md and ./missing.ts",
        `/* Rules in ../../${SHARED}/reference/guidelines-summary.md */`,
        "const code = '../../nowhere/in/a/string.ts';",
        'export default code;',
      ].join('\n'),
    );
    const found = checkComments(dir, 'electron/core/a.ts').map((b) => [b.line, b.target, b.problem]);
    expect(found).toEqual(
      expect.arrayContaining([
        [1, '../../../outside/notes.md', 'outside the repository'],
        [1, './missing.ts', 'does not exist'],
        [2, `../../${SHARED}/reference/guidelines-summary.md`, 'names the private shared folder'],
      ]),
    );
    expect(found.some(([, target]) => String(target).includes('nowhere'))).toBe(false);
    expect(found.some(([, target]) => target === './real.ts' || target === 'docs/here.md')).toBe(false);
  });
});
