// pdf.js behind one small module, imported only when a PDF is shown (its own chunk, outside the initial bundle):
// opens a document from bytes and draws one page to a canvas with pdf.js's text layer over it.
//
// Under the app's CSP (script-src/worker-src 'self', no eval): the worker is pdf.js's own file, served from the app's
// origin; pdf.js 6 has no eval code path left (its isEvalSupported option is gone). The only things fetched are
// pdf.js's own data files from the same origin (/pdfjs/: Adobe's CMaps, without which Chinese text in a font the PDF
// does not embed cannot be read, and the standard fonts; see electron.vite.config.ts). No wasm decoders, no scripting,
// no XFA, no annotation layer (links are not followed).
import { getDocument, GlobalWorkerOptions, PasswordResponses, TextLayer, VerbosityLevel, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** CSS pixels per PDF point at 100 % (a point is 1/72 in, a CSS pixel 1/96 in). */
const CSS_PER_POINT = 96 / 72;
/** A canvas larger than this many device pixels is drawn at a lower pixel ratio (memory; ~64 MiB of RGBA). */
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024;

export type PdfFailure = 'password' | 'unreadable';

export interface OpenedPdf {
  readonly pageCount: number;
  /** The document's language (its /Lang entry) when it names one, for the text layer's `lang`. */
  readonly language: string | null;
  /** Draws page `number` (1-based) at `zoom` (1 = actual size), or at the width that fits `fitWidth` CSS pixels; answers the zoom used. */
  draw(
    number: number,
    size: { zoom: number } | { fitWidth: number },
    canvas: HTMLCanvasElement,
    text: HTMLElement,
    signal: AbortSignal,
    colors?: PageColors | null,
  ): Promise<{ zoom: number }>;
  destroy(): Promise<void>;
}

/**
 * Page colours for the high-contrast theme: pdf.js draws the page's text and lines in `foreground` on `background`
 * (images keep theirs). Null: the page as the file draws it.
 */
export interface PageColors {
  background: string;
  foreground: string;
}

/** Why a PDF could not be opened or drawn, for the message the viewer shows. */
export function failureOf(error: unknown): PdfFailure {
  return error instanceof Error && error.name === 'PasswordException' ? 'password' : 'unreadable';
}

function languageOf(info: unknown): string | null {
  const value = (info as { Language?: unknown } | null)?.Language;
  return typeof value === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value) ? value : null;
}

/**
 * Asked when the PDF has an open password (the official website's PDFs: the person's national ID): resolves with the
 * password the person typed, or null when they cancel. `incorrect` is true after a wrong one. The password goes to
 * pdf.js in memory only; the file is decrypted in the viewer, never on disk.
 */
export type AskPassword = (incorrect: boolean) => Promise<string | null>;

/** What a cancelled password prompt rejects with, so failureOf() names it as the password case. */
class PasswordCancelled extends Error {
  override name = 'PasswordException';
}

export async function openPdf(bytes: Uint8Array, askPassword?: AskPassword): Promise<OpenedPdf> {
  const task = getDocument({
    data: bytes,
    enableXfa: false,
    stopAtErrors: false,
    disableWorkerRendering: true,
    verbosity: VerbosityLevel.ERRORS,
    cMapUrl: new URL('pdfjs/cmaps/', document.baseURI).href,
    cMapPacked: true,
    standardFontDataUrl: new URL('pdfjs/standard_fonts/', document.baseURI).href,
  });
  // An object: set from the callback, so the checker does not narrow it to its initial value.
  const prompt = { cancelled: false };
  task.onPassword = (update: (password: string) => void, reason: number) => {
    const ask = askPassword ?? (() => Promise.resolve(null));
    void ask(reason === PasswordResponses.INCORRECT_PASSWORD).then((password) => {
      if (password === null) {
        prompt.cancelled = true;
        void task.destroy();
      } else update(password);
    });
  };
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy();
    throw prompt.cancelled ? new PasswordCancelled('password prompt cancelled') : error;
  }
  const metadata = await doc.getMetadata().catch(() => null);
  return {
    pageCount: doc.numPages,
    language: languageOf(metadata?.info),
    async draw(number, size, canvas, text, signal, colors = null) {
      const page = await doc.getPage(number);
      signal.throwIfAborted();
      const natural = page.getViewport({ scale: CSS_PER_POINT });
      const zoom = 'zoom' in size ? size.zoom : Math.max(0.1, size.fitWidth / natural.width);
      const viewport = page.getViewport({ scale: zoom * CSS_PER_POINT });
      const cssWidth = Math.floor(viewport.width);
      const cssHeight = Math.floor(viewport.height);
      const ratio = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_CANVAS_PIXELS / Math.max(1, cssWidth * cssHeight)));
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${cssHeight}px`;
      const rendering = page.render({
        canvas,
        viewport,
        ...(ratio === 1 ? {} : { transform: [ratio, 0, 0, ratio, 0, 0] }),
        ...(colors === null ? {} : { pageColors: colors }),
      });
      text.replaceChildren();
      // The text layer sizes itself from --total-scale-factor (zoom × the page's UserUnit), as pdf.js's own viewer does.
      text.style.setProperty('--total-scale-factor', String(viewport.scale * viewport.userUnit));
      const layer = new TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport });
      const stop = () => {
        rendering.cancel();
        layer.cancel();
      };
      signal.addEventListener('abort', stop, { once: true });
      try {
        await Promise.all([rendering.promise, layer.render()]);
      } finally {
        signal.removeEventListener('abort', stop);
      }
      return { zoom };
    },
    destroy: () => task.destroy(),
  };
}
