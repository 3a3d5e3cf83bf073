// The demo's website-style download, checked with independent tools: Info-ZIP unzip -P opens it with the person's ID, qpdf opens its PDF with the ID only, and the app's reader gives the verdict unsigned.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWebsiteDownload } from '../../../electron/core/package/website.ts';
import { websiteDownload } from '../../../electron/sandbox/website.ts';
import { qpdfOpens } from '../../support/website-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-website-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const person = { id: 'wang', name_zh: '王小明', name_en: 'Wang Hsiao-ming', national_id: 'H126047583' };

describe('the sandbox website download', () => {
  it('is a ZipCrypto zip named like the website, with an AES-128 PDF that only the ID opens', async () => {
    const { fileName, bytes } = await websiteDownload(person, new Date('2026-03-15T02:30:00Z'));
    expect(fileName).toBe('個人資料20260315103000.zip');
    const zip = join(dir, 'download.zip');
    writeFileSync(zip, bytes);
    expect(() => execFileSync('unzip', ['-q', '-P', 'A123456789', '-d', join(dir, 'wrong'), zip], { stdio: 'ignore' })).toThrow();
    execFileSync('unzip', ['-q', '-P', person.national_id, '-d', join(dir, 'out'), zip]);
    const pdf = join(dir, 'out', '個人戶籍資料.pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(qpdfOpens(pdf, person.national_id)).toBe(true);
    expect(qpdfOpens(pdf, 'A123456789')).toBe(false);
    expect(qpdfOpens(pdf, '')).toBe(false);
    // qpdf decrypts it to the text the sandbox wrote.
    execFileSync('qpdf', [`--password=${person.national_id}`, '--decrypt', '--qdf', pdf, join(dir, 'plain.pdf')]);
    expect(readFileSync(join(dir, 'plain.pdf'), 'latin1')).toContain('Household registration of Wang Hsiao-ming');

    const read = await readWebsiteDownload(bytes, { fileName, id: person.national_id });
    expect(read.verdict).toBe('unsigned');
    expect(read.files.map((f) => [f.name, f.zipEncrypted, f.pdfCipher, f.openedWithId, f.encoding])).toEqual([
      ['個人戶籍資料.pdf', true, 'AES-128', true, null],
      ['個人戶籍資料.csv', true, null, true, 'utf-8-bom'],
    ]);
  });
});
