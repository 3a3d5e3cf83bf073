// Readable PDFs of a dataset in Traditional Chinese (with English labels), for the sandbox's data packages.
import { existsSync, readFileSync } from 'node:fs';
import { PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import * as fontkit from 'fontkit';
import { pdfLibFontkit } from '../common/pdf-fontkit.ts';
import { resourcePath } from './resources.ts';

/** Shipped font first (resources/fonts), then Debian's fonts-noto-cjk collection. */
const FONT_CANDIDATES: readonly { path: string; postscriptName?: string }[] = [
  { path: resourcePath('fonts', 'NotoSansTC-Regular.ttf') },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKtc-Regular' },
];

const fontkitAdapter = pdfLibFontkit(fontkit);
type ParsedFont = ReturnType<typeof fontkitAdapter.create>;

let cached: { bytes: Uint8Array; font: ParsedFont } | null | undefined;

/** Parses the font once through the fontkit 2 adapter and hands the same parsed font to every document (parsing costs ~0.5 s). */
function loadFont(): { bytes: Uint8Array; font: ParsedFont } | null {
  if (cached !== undefined) return cached;
  const found = FONT_CANDIDATES.find((c) => existsSync(c.path));
  if (!found) {
    cached = null;
    return cached;
  }
  const bytes = new Uint8Array(readFileSync(found.path));
  cached = { bytes, font: fontkitAdapter.create(bytes, found.postscriptName) };
  return cached;
}

export interface PdfSection {
  title: string;
  lines: string[];
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

/** Returns null when no CJK font exists on this machine (the package then carries JSON only, and says so in the log). */
export async function renderDatasetPdf(title: string, sections: PdfSection[]): Promise<Uint8Array | null> {
  const loaded = loadFont();
  if (!loaded) return null;
  const doc = await PDFDocument.create();
  doc.registerFontkit({ create: () => loaded.font });
  const font: PDFFont = await doc.embedFont(loaded.bytes, { subset: true });
  doc.setTitle(title);
  doc.setLanguage('zh-TW');
  doc.setProducer('MyData Desktop sandbox');
  let pageRef: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const write = (text: string, size: number, indent = 0): void => {
    const width = A4[0] - 2 * MARGIN - indent;
    // Wrap by measured width, character by character, since CJK text has no spaces to break at.
    let line = '';
    const flush = (): void => {
      if (y < MARGIN + size) {
        pageRef = doc.addPage(A4);
        y = A4[1] - MARGIN;
      }
      pageRef.drawText(line, { x: MARGIN + indent, y, size, font });
      y -= size * 1.5;
      line = '';
    };
    for (const ch of text) {
      if (font.widthOfTextAtSize(line + ch, size) > width) flush();
      line += ch;
    }
    flush();
  };
  write(title, 16);
  for (const section of sections) {
    y -= 6;
    write(section.title, 12);
    for (const l of section.lines) write(l, 10, 12);
  }
  return doc.save();
}
