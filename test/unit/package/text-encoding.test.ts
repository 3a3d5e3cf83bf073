// The CSV/JSON encoding probe decides the same however the bytes are cut into chunks, and the same as decoding the whole text at once (TextDecoder, fatal).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectTextEncoding } from '../../../electron/core/package/website.ts';

/** The rule written the slow way: the whole text through fatal decoders. */
function reference(bytes: Uint8Array): string | null {
  // A UTF-16 byte-order mark decides (neither FF FE nor FE FF can start UTF-8); the rest must then be valid UTF-16.
  for (const [label, mark] of [['utf-16le', [0xff, 0xfe]], ['utf-16be', [0xfe, 0xff]]] as const) {
    if (bytes[0] !== mark[0] || bytes[1] !== mark[1]) continue;
    try {
      new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
      return label;
    } catch {
      return null;
    }
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return bom ? 'utf-8-bom' : 'utf-8';
  } catch {
    // not UTF-8
  }
  if (bom) return null;
  try {
    new TextDecoder('big5', { fatal: true }).decode(bytes);
    return 'big5';
  } catch {
    return null;
  }
}

function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

const big5 = (text: string): Uint8Array => {
  // Big5 bytes of a few common characters (python3's big5 codec), mixed with ASCII.
  const table: Record<string, number[]> = { 所: [0xa9, 0xd2], 得: [0xb1, 0x6f], 資: [0xb8, 0xea], 料: [0xae, 0xc6] };
  return Uint8Array.from(Array.from(text).flatMap((c) => table[c] ?? [c.charCodeAt(0) & 0x7f]));
};

const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)])),
  fc.array(fc.constantFrom('所', '得', '資', '料', 'a', ',', '1', '\n'), { maxLength: 40 }).map((cs) => big5(cs.join(''))),
  fc.uint8Array({ maxLength: 40 }),
  // UTF-16LE with its mark, whole or cut at an odd byte (then not valid UTF-16).
  fc.tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.boolean()).map(([s, odd]) => {
    const bytes = [0xff, 0xfe];
    for (let i = 0; i < s.length; i++) bytes.push(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8);
    return Uint8Array.from(odd && bytes.length > 2 ? bytes.slice(0, -1) : bytes);
  }),
);

describe('text encoding probe', () => {
  it('decides as the whole-text decoders do, for any chunking (property)', () => {
    fc.assert(
      fc.property(texts, fc.array(fc.nat(), { maxLength: 6 }), (bytes, points) => {
        expect(detectTextEncoding(cut(bytes, points))).toBe(reference(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('a UTF-8 character cut at the very end is not UTF-8; a Big5 pair split across chunks is still Big5', () => {
    const utf8 = new TextEncoder().encode('所得');
    expect(detectTextEncoding([utf8.subarray(0, 4), utf8.subarray(4, 5)])).toBe(reference(utf8.subarray(0, 5)));
    const pair = big5('所得 ok');
    expect(detectTextEncoding([pair.subarray(0, 1), pair.subarray(1, 3), pair.subarray(3)])).toBe('big5');
    // An ASCII chunk after a Big5 lead byte: its first byte is the pair's trail byte.
    expect(detectTextEncoding([Uint8Array.from([0xb1]), Uint8Array.from([0x6f, 0x61, 0x62])])).toBe('big5');
  });
});
