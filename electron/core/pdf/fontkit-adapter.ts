// pdf-lib's font engine slot filled by fontkit 2 (never @pdf-lib/fontkit, whose CJK subsets come out corrupt).
import { Readable } from 'node:stream';
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

interface FontkitSubset {
  encode(): Uint8Array;
  encodeStream?: () => Readable;
}
interface FontkitFont {
  createSubset(): FontkitSubset;
}

/**
 * pdf-lib 1.17 calls `fontkit.create(bytes)` and, to subset, `font.createSubset().encodeStream()` (fontkit 1's
 * stream API). fontkit 2 returns the subset's bytes from `encode()` instead, so the adapter gives each subset an
 * `encodeStream()` that streams those bytes. Everything else pdf-lib uses (layout, glyph metrics) is unchanged.
 */
export const fontkitAdapter: PdfLibFontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    const made = fontkit.create(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength), postscriptName) as FontkitFont | { fonts: unknown[] };
    if ('fonts' in made) throw new Error('font collection: pass the postscript name of one font');
    const font = made;
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      if (typeof subset.encodeStream !== 'function') {
        subset.encodeStream = () => Readable.from([Buffer.from(subset.encode())]);
      }
      return subset;
    };
    return font as unknown as ReturnType<PdfLibFontkit['create']>;
  },
};
