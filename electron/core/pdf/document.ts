// A small A4 document writer over pdf-lib: the shipped Noto Sans TC subset, wrapped CJK/Latin text, tables, page numbers.
import { readFile } from 'node:fs/promises';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { resourcePath } from '../resources.ts';
import { fontkitAdapter } from './fontkit-adapter.ts';

/** Where the font lives in the repository; the packaged app passes its own resources path. */
export const DEFAULT_FONT_PATH = resourcePath('fonts', 'NotoSansTC-Regular.ttf');

const fontCache = new Map<string, Promise<Uint8Array>>();

/** Reads the font once per path (7 MB; the PDF embeds only the glyphs used). */
export function loadFontBytes(path: string = DEFAULT_FONT_PATH): Promise<Uint8Array> {
  let p = fontCache.get(path);
  if (!p) {
    p = readFile(path).then((b) => new Uint8Array(b));
    fontCache.set(path, p);
    p.catch(() => fontCache.delete(path));
  }
  return p;
}

export interface DocumentOptions {
  title: string;
  /** BCP 47 language of the document, e.g. 'zh-TW' or 'en'. */
  language: string;
  fontPath?: string;
  /** Fixed creation date (tests, reproducible output). */
  createdAt?: Date;
  /** Footer text before the page number, e.g. "MyData Desktop — 分享紀錄". */
  footer?: string;
  /** Page number label: (n, total) → text. */
  pageLabel?: (n: number, total: number) => string;
}

export interface Column {
  header: string;
  /** Share of the content width. */
  weight: number;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const GREY = rgb(0.35, 0.35, 0.35);
const LINE = rgb(0.75, 0.75, 0.75);

/** A line-breaking unit: one CJK character, one run of other non-space characters, or a space. */
const TOKEN = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]+|[ \t]+/gu;

const CLOSING = /^[，。、；：！？」』）》〉】,.;:!?)\]]$/u;

export class PdfComposer {
  private readonly doc: PDFDocument;
  private readonly font: PDFFont;
  private readonly options: DocumentOptions;
  private page: PDFPage;
  private y: number;
  private readonly widths = new Map<string, number>();

  private constructor(doc: PDFDocument, font: PDFFont, options: DocumentOptions) {
    this.doc = doc;
    this.font = font;
    this.options = options;
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  static async create(options: DocumentOptions): Promise<PdfComposer> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkitAdapter);
    // subset: only the glyphs used go into the file (a CJK font is megabytes; a report is tens of kilobytes).
    const font = await doc.embedFont(await loadFontBytes(options.fontPath), { subset: true });
    const at = options.createdAt ?? new Date();
    doc.setTitle(options.title);
    doc.setLanguage(options.language);
    doc.setCreator('MyData Desktop');
    doc.setProducer('MyData Desktop (pdf-lib)');
    doc.setCreationDate(at);
    doc.setModificationDate(at);
    return new PdfComposer(doc, font, options);
  }

  get contentWidth(): number {
    return A4[0] - 2 * MARGIN;
  }

  /** Width of text at a size, from per-token widths cached at size 1 (layout is the slow part of pdf-lib). */
  width(text: string, size: number): number {
    let w = 0;
    for (const t of text.match(TOKEN) ?? []) {
      let tw = this.widths.get(t);
      if (tw === undefined) {
        tw = this.font.widthOfTextAtSize(t, 1);
        this.widths.set(t, tw);
      }
      w += tw;
    }
    return w * size;
  }

  /** Greedy line breaking: between CJK characters, at spaces, and inside over-long tokens (hashes, IDs). */
  wrap(text: string, size: number, maxWidth: number): string[] {
    const lines: string[] = [];
    for (const para of text.split('\n')) {
      let line = '';
      let lw = 0;
      for (const token of para.match(TOKEN) ?? []) {
        const tw = this.width(token, size);
        // Closing punctuation never starts a line (kinsoku): it may overhang the margin slightly instead.
        if (lw + tw <= maxWidth || (line !== '' && CLOSING.test(token))) {
          line += token;
          lw += tw;
          continue;
        }
        if (/^[ \t]+$/.test(token)) {
          lines.push(line);
          line = '';
          lw = 0;
          continue;
        }
        if (line !== '') lines.push(line.trimEnd());
        line = '';
        lw = 0;
        if (tw <= maxWidth) {
          line = token;
          lw = tw;
          continue;
        }
        for (const ch of token) {
          const cw = this.width(ch, size);
          if (lw + cw > maxWidth && line !== '') {
            lines.push(line);
            line = '';
            lw = 0;
          }
          line += ch;
          lw += cw;
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  private ensure(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  space(h: number): void {
    this.y -= h;
  }

  text(text: string, options: { size?: number; color?: 'grey'; indent?: number; gapAfter?: number } = {}): void {
    const size = options.size ?? 10.5;
    const indent = options.indent ?? 0;
    const lh = size * 1.45;
    for (const line of this.wrap(text, size, this.contentWidth - indent)) {
      this.ensure(lh);
      this.y -= lh;
      if (line !== '') {
        this.page.drawText(line, { x: MARGIN + indent, y: this.y + size * 0.3, size, font: this.font, color: options.color === 'grey' ? GREY : rgb(0, 0, 0) });
      }
    }
    this.y -= options.gapAfter ?? size * 0.5;
  }

  heading(text: string, size = 16): void {
    this.ensure(size * 3);
    this.space(size * 0.4);
    this.text(text, { size, gapAfter: size * 0.4 });
  }

  /** Label: value rows, the label column a fixed share of the width. */
  fields(rows: readonly (readonly [string, string])[], labelShare = 0.3, size = 10): void {
    const lw = this.contentWidth * labelShare;
    const lh = size * 1.45;
    for (const [label, value] of rows) {
      const left = this.wrap(label, size, lw - 8);
      const right = this.wrap(value, size, this.contentWidth - lw);
      const n = Math.max(left.length, right.length);
      this.ensure(n * lh);
      for (let i = 0; i < n; i++) {
        this.y -= lh;
        const l = left[i];
        const r = right[i];
        if (l) this.page.drawText(l, { x: MARGIN, y: this.y + size * 0.3, size, font: this.font, color: GREY });
        if (r) this.page.drawText(r, { x: MARGIN + lw, y: this.y + size * 0.3, size, font: this.font });
      }
      this.y -= size * 0.35;
    }
    this.y -= size * 0.5;
  }

  /** A table whose header repeats on each page; cells wrap. */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], size = 8): void {
    const total = columns.reduce((s, c) => s + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.contentWidth);
    const lh = size * 1.4;
    const pad = 3;
    const drawRow = (cells: readonly string[], header: boolean) => {
      const wrapped = cells.map((c, i) => this.wrap(c, size, (widths[i] ?? 0) - 2 * pad));
      const n = Math.max(1, ...wrapped.map((w) => w.length));
      const h = n * lh + pad;
      if (this.y - h < MARGIN + 20) {
        this.newPage();
        if (!header) drawRow(columns.map((c) => c.header), true);
      }
      let x = MARGIN;
      for (let i = 0; i < wrapped.length; i++) {
        let y = this.y;
        for (const line of wrapped[i] ?? []) {
          y -= lh;
          if (line) this.page.drawText(line, { x: x + pad, y: y + size * 0.3, size, font: this.font, color: header ? GREY : rgb(0, 0, 0) });
        }
        x += widths[i] ?? 0;
      }
      this.y -= h;
      this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.contentWidth, y: this.y }, thickness: header ? 0.8 : 0.3, color: LINE });
    };
    drawRow(columns.map((c) => c.header), true);
    for (const row of rows) drawRow(row, false);
    this.y -= size;
  }

  /** Footer with page numbers, then the bytes. */
  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    const label = this.options.pageLabel ?? ((n: number, t: number) => `${n} / ${t}`);
    pages.forEach((p, i) => {
      const text = `${this.options.footer ? `${this.options.footer}    ` : ''}${label(i + 1, pages.length)}`;
      p.drawText(text, { x: MARGIN, y: MARGIN / 2, size: 8, font: this.font, color: GREY });
    });
    return this.doc.save();
  }
}
