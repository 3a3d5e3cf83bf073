// History PDFs (G12, G14): the report and the PDPA letter carry real, extractable Chinese text and render as pages.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { buildHistoryReportPdf } from '../../../electron/core/history/report-pdf.ts';
import { ANSWER_DAYS, buildPdpaLetterPdf, transmissionsFor } from '../../../electron/core/history/pdpa-letter.ts';
import { KEY, entry, tempDir } from './fixtures.ts';

// poppler-utils (pdftotext, pdftoppm): CI installs it; without it only the structural checks run.
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

function text(pdf: Uint8Array): string {
  const dir = tempDir();
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

async function log(): Promise<HistoryLog> {
  const l = await HistoryLog.open({ dir: tempDir(), key: KEY });
  for (let i = 0; i < 24; i++) await l.append(entry(i));
  return l;
}

describe('history report PDF', () => {
  it('is a small subset-font PDF whose Chinese text, chain head and records extract', async () => {
    const l = await log();
    const pdf = await buildHistoryReportPdf(l, { language: 'zh-TW', calendar: 'roc', recipients: l.recipients(), generatedAt: new Date('2025-02-01T00:00:00Z') });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toBe('MyData 分享紀錄報告');
    expect(pdf.length).toBeLessThan(200_000); // the 7 MB font is subset to the glyphs used
    if (hasPoppler) {
      const t = text(pdf);
      expect(t).toContain('MyData分享紀錄報告');
      expect(t).toContain('誰取得了我的資料');
      expect(t).toContain('衛生福利部中央健康保險署');
      expect(t).toContain('民國114年');
      expect(t).toContain(l.head());
      expect(t).toContain('tx-000023');
    }
    await l.close();
  });

  it('has an English version', async () => {
    const l = await log();
    const pdf = await buildHistoryReportPdf(l, { language: 'en', calendar: 'gregorian', recipients: l.recipients() });
    if (hasPoppler) {
      const t = text(pdf);
      expect(t).toContain('Whohasmydata');
      expect(t).toContain('NationalHealthInsuranceAdministration');
      expect(t).toContain(l.head());
    }
    await l.close();
  });
});

describe('PDPA request letter', () => {
  it('cites the transmissions to the recipient, the chosen rights and the Art. 13 deadlines (zh-TW)', async () => {
    const l = await log();
    const cited = transmissionsFor(l.records(), 'bank-a');
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.every((r) => r.result === 'success' || r.result === 'partial')).toBe(true);
    const pdf = await buildPdpaLetterPdf({
      language: 'zh-TW',
      calendar: 'roc',
      addressee: { id: 'bank-a', name: { zh: '甲商業銀行', en: 'Bank A' } },
      rights: ['delete', 'copy'],
      transmissions: cited,
      requester: { name: '王小明' },
      date: new Date('2025-05-01T02:00:00Z'),
      chainHead: l.head(),
    });
    expect(ANSWER_DAYS).toEqual({ view: 15, copy: 15, correct: 30, stop: 30, delete: 30 });
    if (hasPoppler) {
      const t = text(pdf);
      expect(t).toContain('個人資料當事人權利行使請求書');
      expect(t).toContain('甲商業銀行');
      expect(t).toContain('王小明');
      expect(t).toContain('請求製給複製本');
      expect(t).toContain('請求刪除');
      expect(t).not.toContain('請求停止蒐集'); // not chosen
      expect(t).toContain('15日內');
      expect(t).toContain('30日內');
      expect(t).toContain('民國114年5月16日'); // 15 days after the letter
      expect(t).toContain('民國114年5月31日'); // 30 days after
      for (const r of cited) expect(t).toContain(r.tx_id);
      expect(t).toContain(l.head());
    }
    await l.close();
  });

  it('has an English version that leaves blanks for what the person did not fill in', async () => {
    const l = await log();
    const pdf = await buildPdpaLetterPdf({
      language: 'en',
      calendar: 'gregorian',
      addressee: { id: 'ins-b', name: { zh: '乙人壽保險', en: 'B Life Insurance' } },
      rights: ['stop'],
      transmissions: transmissionsFor(l.records(), 'ins-b'),
      date: new Date('2025-05-01T02:00:00Z'),
    });
    if (hasPoppler) {
      const t = text(pdf);
      expect(t).toContain('Requesttoexercisedatasubjectrights');
      expect(t).toContain('BLifeInsurance');
      expect(t).toContain('within30days');
      expect(t).not.toContain('within15days');
      expect(t).toContain('31May2025');
      expect(t).toContain('＿＿＿＿');
    }
    await expect(buildPdpaLetterPdf({ language: 'en', calendar: 'gregorian', addressee: { id: 'x', name: { zh: 'x', en: 'x' } }, rights: [], transmissions: [] })).rejects.toThrow(/at least one right/);
    await l.close();
  });

  it.runIf(hasPoppler)('renders a page to an image', async () => {
    const l = await log();
    const pdf = await buildPdpaLetterPdf({ language: 'zh-TW', calendar: 'gregorian', addressee: { id: 'bank-a', name: { zh: '甲商業銀行', en: 'Bank A' } }, rights: ['view'], transmissions: transmissionsFor(l.records(), 'bank-a') });
    const dir = tempDir();
    writeFileSync(join(dir, 'letter.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', join(dir, 'letter.pdf'), join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page.png'));
    expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(300); // width at 50 dpi of an A4 page is ~413 px
    expect(png.length).toBeGreaterThan(5_000); // a blank page compresses to far less
    await l.close();
  });
});
