// Decoding dataset files (UTF-8 with/without BOM, Big5 from an independent encoder) and reading ROC dates.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { EncodingProbe, readText as decodeText } from '../../../electron/core/datasets/text.ts';
import { parseDate, rocCompactToIso } from '../../../electron/core/datasets/dates.ts';

/** Bytes from Python's own codecs, so the app's decoder is checked against an encoder it does not share code with. */
function python(encoding: string, text: string): Uint8Array {
  return new Uint8Array(execFileSync('python3', ['-c', `import sys; sys.stdout.buffer.write(sys.argv[1].encode(${JSON.stringify(encoding)}))`, text]));
}

const CSV = '所得年度,所得類別,扣繳單位名稱,給付總額\r\n114,薪資,宏遠精密工業股份有限公司,"1,086,000"\r\n';

describe('decodeText', () => {
  it('reads Big5 exactly (bytes from python3 .encode("big5"))', () => {
    const bytes = python('big5', CSV);
    expect(bytes.length).toBeLessThan(new TextEncoder().encode(CSV).length);
    expect(decodeText(bytes)).toEqual({ text: CSV, encoding: 'big5' });
  });
  it('reads UTF-8 with a BOM (utf-8-sig) and without, and drops the BOM', () => {
    expect(decodeText(python('utf-8-sig', CSV))).toEqual({ text: CSV, encoding: 'utf-8-bom' });
    expect(decodeText(python('utf-8', CSV))).toEqual({ text: CSV, encoding: 'utf-8' });
  });
  it('keeps CJK Extension B names intact in UTF-8', () => {
    const name = '洪𣉥𫙸';
    expect(decodeText(python('utf-8', name)).text).toBe(name);
    // Three code points, six UTF-16 units: the two Ext-B characters are surrogate pairs that survived whole.
    expect(Array.from(decodeText(python('utf-8', name)).text)).toHaveLength(3);
  });
  it('reads UTF-16 with a BOM', () => {
    expect(decodeText(python('utf-16', CSV)).text).toBe(CSV);
  });
  it('refuses bytes that are neither, with a named error, instead of showing U+FFFD', () => {
    const garbage = new Uint8Array([0x81, 0x20, 0xff, 0xfe, 0x80, 0x30]);
    expect(() => decodeText(garbage.subarray(0))).toThrow(expect.objectContaining({ code: 'DATASET_ENCODING_UNKNOWN' }) as Error);
    expect(() => decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0x28]))).toThrow(expect.objectContaining({ code: 'DATASET_ENCODING_UNKNOWN' }) as Error);
  });
});

describe('EncodingProbe (the importer streams through it)', () => {
  const probe = (bytes: Uint8Array, size: number) => {
    const p = new EncodingProbe();
    for (let i = 0; i < bytes.length; i += size) p.update(bytes.subarray(i, i + size));
    return p.result();
  };
  it('finds the same encoding whatever the chunk size, a BOM split over chunks included', () => {
    // One python3 run for every codec (each spawn is slow on a loaded machine).
    const hex = JSON.parse(execFileSync('python3', ['-c', 'import sys, json; t = sys.argv[1]; print(json.dumps({c: (("abc" if c == "utf-16-be" else t).encode(c)).hex() for c in ["utf-16", "utf-16-be", "utf-8-sig", "utf-8", "big5"]}))', CSV], { encoding: 'utf8' })) as Record<string, string>;
    for (const [codec, expected] of [['utf-16', 'utf-16le'], ['utf-16-be', 'utf-8'], ['utf-8-sig', 'utf-8-bom'], ['utf-8', 'utf-8'], ['big5', 'big5']] as const) {
      const bytes = new Uint8Array(Buffer.from(hex[codec] ?? '', 'hex'));
      expect(bytes.length).toBeGreaterThan(0);
      for (const size of [1, 2, 3, 7, 4096]) expect(probe(bytes, size), `${codec} in chunks of ${String(size)}`).toBe(expected);
    }
    // UTF-16BE with its BOM, and UTF-16 cut in the middle of a code unit.
    const be = new Uint8Array([0xfe, 0xff, ...Buffer.from(new TextDecoder().decode(new Uint8Array(Buffer.from(hex['utf-8'] ?? '', 'hex'))), 'utf16le').swap16()]);
    expect(decodeText(be)).toEqual({ text: CSV, encoding: 'utf-16be' });
    const le = new Uint8Array(Buffer.from(hex['utf-16'] ?? '', 'hex'));
    expect(() => decodeText(le.subarray(0, le.length - 1))).toThrow(expect.objectContaining({ code: 'DATASET_ENCODING_UNKNOWN' }) as Error);
  });
  it('an empty or one-byte file is UTF-8', () => {
    expect(probe(new Uint8Array(0), 1)).toBe('utf-8');
    expect(probe(new Uint8Array([0x41]), 1)).toBe('utf-8');
  });
});

describe('ROC dates', () => {
  it('reads yyyMMdd as the Gregorian day', () => {
    expect(rocCompactToIso('0691010')).toBe('1980-10-10');
    expect(rocCompactToIso('1090424')).toBe('2020-04-24');
    expect(rocCompactToIso('1130229')).toBe('2024-02-29');
    expect(rocCompactToIso('691010')).toBe('1980-10-10');
  });
  it('refuses blanks, zeros and days that do not exist', () => {
    expect(rocCompactToIso('0000000')).toBeNull();
    expect(rocCompactToIso('1120229')).toBeNull();
    expect(rocCompactToIso('1091301')).toBeNull();
    expect(rocCompactToIso('')).toBeNull();
  });
  it('reads separated ROC and Gregorian dates and timestamps as the Taipei day', () => {
    expect(parseDate('100-01-01')).toEqual({ raw: '100-01-01', iso: '2011-01-01' });
    expect(parseDate('2019/04/01')?.iso).toBe('2019-04-01');
    expect(parseDate('2018-07-13T13:16:10+08:00')?.iso).toBe('2018-07-13');
    expect(parseDate('2018-07-12T23:30:00Z')?.iso).toBe('2018-07-13');
    expect(parseDate('N/A')).toBeNull();
    expect(parseDate('ABC-123')).toBeNull();
  });
});
