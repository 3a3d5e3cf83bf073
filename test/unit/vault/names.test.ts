// Stored file names: whatever is accepted exports inside the chosen folder, and twins are refused.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryNameProblem, exportSegments, nameKey } from '../../../electron/core/vault/names.ts';

const alphabet = ['a', 'B', '.', '..', '/', '\\', ':', 'C:', ' ', '\u0000', '\u001f', 'é', 'e\u0301', '資料', 'con', '?', '*', '~'];

describe('entry names', () => {
  it('any accepted name exports to a path inside the destination (property)', () => {
    const dest = resolve('/export/here');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 8 }), (parts) => {
        const name = parts.join('');
        if (entryNameProblem(name, new Set(), []) !== null) return;
        const target = join(dest, ...exportSegments(name.normalize('NFC')));
        const rel = relative(dest, target);
        expect(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || rel === '').toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts ordinary provider paths', () => {
    for (const name of ['API.A1/data.json', '健保就醫紀錄.pdf', 'p/q/r/s.csv', '.hidden-is-fine']) {
      expect(entryNameProblem(name, new Set(), [])).toBeNull();
    }
  });

  it('refuses traversal, absolute, drive and reserved names', () => {
    for (const name of ['..', '../a', 'a/..', '/a', 'a//b', 'C:\\x', 'a\\b', 'LPT1', 'nul.json', 'x ', 'x.', 'a\u0000b', 'a/b/c/d/e']) {
      expect(entryNameProblem(name, new Set(), []), name).not.toBeNull();
    }
  });

  it('refuses case and normalisation twins, and a name used as both file and folder', () => {
    expect(entryNameProblem('DATA.json', new Set([nameKey('data.JSON')]), ['data.JSON'])).not.toBeNull();
    expect(entryNameProblem('caf\u00e9', new Set([nameKey('cafe\u0301')]), ['cafe\u0301'])).not.toBeNull();
    expect(entryNameProblem('a/b', new Set([nameKey('A')]), ['A'])).not.toBeNull();
    expect(entryNameProblem('a', new Set([nameKey('a/b')]), ['a/b'])).not.toBeNull();
  });
});
