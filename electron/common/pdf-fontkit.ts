// pdf-lib's font engine slot filled by fontkit 2 (never @pdf-lib/fontkit, whose CJK subsets come out corrupt); pure, so
// core and the sandbox each pass in their own fontkit module and share only this shape adaptation.
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

/** The one fontkit 2 entry point the adapter uses (fontkit ships no types). */
interface Fontkit2 {
  create(bytes: Uint8Array, postscriptName?: string): unknown;
}

interface FontkitSubset {
  encode(): Uint8Array;
  encodeStream?: () => SubsetStream;
}
interface FontkitFont {
  createSubset(): FontkitSubset;
}
interface SubsetStream {
  on(event: 'data' | 'end' | 'error', listener: (value: never) => unknown): SubsetStream;
}

/**
 * A stream of one chunk, in the shape pdf-lib reads (`on('data')`, `on('end')`, `on('error')`, registered right after
 * the call): the bytes are encoded at once, and handed over on the next microtask, once the listeners are there.
 */
function oneChunkStream(bytes: Uint8Array): SubsetStream {
  const listeners: { event: string; listener: (value: never) => unknown }[] = [];
  const stream: SubsetStream = {
    on(event, listener) {
      listeners.push({ event, listener });
      return stream;
    },
  };
  queueMicrotask(() => {
    for (const { event, listener } of listeners) if (event === 'data') (listener as (b: Uint8Array) => unknown)(bytes);
    for (const { event, listener } of listeners) if (event === 'end') (listener as () => unknown)();
  });
  return stream;
}

/**
 * pdf-lib 1.17 calls `fontkit.create(bytes)` and, to subset, `font.createSubset().encodeStream()` (fontkit 1's
 * stream API). fontkit 2 returns the subset's bytes from `encode()` instead, so the adapter gives each subset an
 * `encodeStream()` that hands over those bytes. Everything else pdf-lib uses (layout, glyph metrics) is unchanged.
 */
export function pdfLibFontkit(fontkit: Fontkit2): PdfLibFontkit {
  return {
    create(bytes: Uint8Array, postscriptName?: string) {
      const made = fontkit.create(bytes, postscriptName) as FontkitFont | { fonts: unknown[] };
      if ('fonts' in made) throw new Error('font collection: pass the postscript name of one font');
      const font = made;
      const createSubset = font.createSubset.bind(font);
      font.createSubset = () => {
        const subset = createSubset();
        if (typeof subset.encodeStream !== 'function') subset.encodeStream = () => oneChunkStream(subset.encode());
        return subset;
      };
      return font as unknown as ReturnType<PdfLibFontkit['create']>;
    },
  };
}
