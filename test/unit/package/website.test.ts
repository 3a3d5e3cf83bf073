// The official website's unsigned downloads: flat zips, ZipCrypto with the ID, ID-encrypted PDFs (AES and RC4), counter zips, CSV encodings, hostile names; fixtures from Info-ZIP, qpdf and python3.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { PackageErrorCode } from '../../../electron/core/package/errors.ts';
import { pdfUserPasswordOpens, readPdfEncryption } from '../../../electron/core/package/pdf-encryption.ts';
import { decodeText, detectLayout, nameHints, readWebsiteDownload, type WebsiteReadOptions } from '../../../electron/core/package/website.ts';
import { buildPackage, buildPart, enc, makeCa, makeSigner } from './fixtures.ts';
import { folder, infoZip, OTHER_ID, pythonZip, qpdfEncrypt, qpdfOpens, sha256Hex, TEST_ID, write, writeCsv, writePdf, type PdfProtection } from '../../support/website-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'website-'));
let src: string;
let plainPdf: Uint8Array;
let aesPdf: Uint8Array;
let utf8Csv: Uint8Array;
const CSV_TEXT = '姓名,出生日期,地址\r\n陳𠀋明,0790115,臺北市中正區\r\n';

beforeAll(() => {
  src = folder(root, 'src');
  plainPdf = writePdf(join(src, '勞保投保資料.pdf'), 'Insurance record');
  aesPdf = qpdfEncrypt(join(src, '勞保投保資料.pdf'), join(src, '個人戶籍資料.pdf'), 'aes-128');
  utf8Csv = writeCsv(join(src, '所得資料.csv'), CSV_TEXT, 'utf-8');
  write(join(src, '健保資料.json'), JSON.stringify({ 姓名: '陳𠀋明', 投保單位: '某公司' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function refused(source: string | Uint8Array, options: WebsiteReadOptions = {}): Promise<AppFailure> {
  try {
    const result = await readWebsiteDownload(source, options);
    throw new Error(`expected a refusal, got ${JSON.stringify(result.files)}`);
  } catch (error) {
    if (!(error instanceof AppFailure)) throw error;
    return error;
  }
}

/** A sink that records what it was given and whether each stream was closed or aborted. */
function recorder() {
  const got = new Map<string, { bytes: number[]; state: 'open' | 'closed' | 'aborted' }>();
  return {
    got,
    sink: ({ name }: { name: string }) => {
      const entry = { bytes: [] as number[], state: 'open' as 'open' | 'closed' | 'aborted' };
      got.set(name, entry);
      return new WritableStream<Uint8Array>({
        write: (chunk) => void entry.bytes.push(...chunk),
        close: () => void (entry.state = 'closed'),
        abort: () => void (entry.state = 'aborted'),
      });
    },
  };
}

describe('flat website zip (Info-ZIP)', () => {
  it('lists every file with its size and SHA-256, the whole file digest, and the verdict unsigned', async () => {
    const out = infoZip(join(root, '個人資料20240315103000.zip'), [join(src, '勞保投保資料.pdf'), join(src, '所得資料.csv'), join(src, '健保資料.json')]);
    const result = await readWebsiteDownload(join(root, '個人資料20240315103000.zip'));
    expect(result.verdict).toBe('unsigned');
    expect(result.kind).toBe('zip');
    expect(result.sha256).toBe(sha256Hex(out));
    expect(result.size).toBe(out.length);
    expect(result.files.map((f) => [f.name, f.type, f.size, f.sha256, f.encrypted, f.openedWithId])).toEqual([
      ['勞保投保資料.pdf', 'pdf', plainPdf.length, sha256Hex(plainPdf), false, false],
      ['所得資料.csv', 'csv', utf8Csv.length, sha256Hex(utf8Csv), false, false],
      ['健保資料.json', 'json', readFileSync(join(src, '健保資料.json')).length, sha256Hex(readFileSync(join(src, '健保資料.json'))), false, false],
    ]);
    expect(result.hints).toEqual({ resourceName: '個人資料', stamp: '20240315103000', looksLike: 'website' });
    expect(result.unopened).toBe(0);
  });

  it('refuses a ZipCrypto zip without the ID, opens it with the ID (any letter case), and refuses another valid ID as a wrong ID', async () => {
    const path = join(root, 'zipcrypto.zip');
    infoZip(path, [join(src, '勞保投保資料.pdf'), join(src, '所得資料.csv')], TEST_ID);
    expect((await refused(path)).code).toBe(PackageErrorCode.PASSWORD_REQUIRED);
    const opened = await readWebsiteDownload(path, { id: TEST_ID.toLowerCase() });
    expect(opened.files.map((f) => [f.name, f.zipEncrypted, f.encrypted, f.openedWithId, f.sha256])).toEqual([
      ['勞保投保資料.pdf', true, true, true, sha256Hex(plainPdf)],
      ['所得資料.csv', true, true, true, sha256Hex(utf8Csv)],
    ]);
    const wrong = await refused(path, { id: OTHER_ID });
    expect(wrong.code).toBe(PackageErrorCode.WRONG_ID);
    expect(wrong.message_en).toContain('勞保投保資料.pdf');
  });

  it('keeps an AES-128 PDF encrypted: listed unopened without the ID, opened with it, refused with another ID; the sink gets the encrypted bytes', async () => {
    const path = join(root, 'pdf-aes.zip');
    infoZip(path, [join(src, '個人戶籍資料.pdf'), join(src, '所得資料.csv')]);
    const without = await readWebsiteDownload(path);
    expect(without.files[0]).toMatchObject({ name: '個人戶籍資料.pdf', encrypted: true, zipEncrypted: false, pdfCipher: 'AES-128', openedWithId: false });
    expect(without.unopened).toBe(1);
    const rec = recorder();
    const withId = await readWebsiteDownload(path, { id: TEST_ID, sink: rec.sink });
    expect(withId.files[0]).toMatchObject({ encrypted: true, openedWithId: true, sha256: sha256Hex(aesPdf) });
    expect(withId.unopened).toBe(0);
    expect(sha256Hex(Uint8Array.from(rec.got.get('個人戶籍資料.pdf')?.bytes ?? []))).toBe(sha256Hex(aesPdf));
    expect([...rec.got.values()].map((v) => v.state)).toEqual(['closed', 'closed']);

    const rejected = recorder();
    const wrong = await refused(path, { id: OTHER_ID, sink: rejected.sink });
    expect(wrong.code).toBe(PackageErrorCode.WRONG_ID);
    expect(rejected.got.get('個人戶籍資料.pdf')?.state).toBe('aborted');
  });

  it('opens both at once: a ZipCrypto zip holding an ID-encrypted PDF', async () => {
    const path = join(root, 'both.zip');
    infoZip(path, [join(src, '個人戶籍資料.pdf')], TEST_ID);
    const result = await readWebsiteDownload(path, { id: TEST_ID });
    expect(result.files[0]).toMatchObject({ zipEncrypted: true, pdfCipher: 'AES-128', encrypted: true, openedWithId: true, sha256: sha256Hex(aesPdf) });
  });

  it('names a counter-service zip after its dataset', async () => {
    const path = join(root, '個人戶籍資料.zip');
    infoZip(path, [join(src, '個人戶籍資料.pdf')]);
    const result = await readWebsiteDownload(path, { id: TEST_ID });
    expect(result.hints).toEqual({ resourceName: '個人戶籍資料', stamp: null, looksLike: 'counter' });
  });
});

describe('ID-encrypted PDFs (qpdf), checked against qpdf itself', () => {
  const kinds: [PdfProtection, string][] = [
    ['aes-128', 'AES-128'],
    ['aes-128-object-streams', 'AES-128'],
    ['aes-128-clear-metadata', 'AES-128'],
    ['rc4-128', 'RC4-128'],
    ['rc4-40', 'RC4-40'],
    ['aes-256', 'AES-256'],
  ];
  for (const [protection, cipher] of kinds) {
    it(`${protection}: the ID opens it, another ID does not, as qpdf says`, async () => {
      const path = join(root, `${protection}.pdf`);
      const bytes = qpdfEncrypt(join(src, '勞保投保資料.pdf'), path, protection);
      const encryption = readPdfEncryption(bytes);
      expect(encryption?.cipher).toBe(cipher);
      for (const candidate of [TEST_ID, OTHER_ID, '', 'A12345678']) {
        expect(pdfUserPasswordOpens(encryption!, candidate), candidate).toBe(qpdfOpens(path, candidate));
      }
      expect(qpdfOpens(path, TEST_ID)).toBe(true);
      const lone = await readWebsiteDownload(path, { id: TEST_ID });
      expect(lone).toMatchObject({ kind: 'pdf', verdict: 'unsigned', sha256: sha256Hex(bytes) });
      expect(lone.files[0]).toMatchObject({ encrypted: true, openedWithId: true, pdfCipher: cipher });
      expect((await refused(path, { id: OTHER_ID })).code).toBe(PackageErrorCode.WRONG_ID);
    });
  }

  it('aes-256 whose salts stop the password hash exactly at the boundary of its termination rule (file made by qpdf)', () => {
    const path = join(import.meta.dirname, '../../fixtures/pdf/aes256-final-round.pdf');
    const encryption = readPdfEncryption(readFileSync(path));
    expect(encryption?.cipher).toBe('AES-256');
    for (const candidate of [TEST_ID, OTHER_ID, '']) {
      expect(pdfUserPasswordOpens(encryption!, candidate), candidate).toBe(qpdfOpens(path, candidate));
    }
    expect(qpdfOpens(path, TEST_ID)).toBe(true);
  });

  it('a PDF with only an owner password opens for anyone: listed as not needing the ID', async () => {
    const path = join(root, 'owner.pdf');
    qpdfEncrypt(join(src, '勞保投保資料.pdf'), path, 'owner-only');
    const result = await readWebsiteDownload(path, { id: TEST_ID });
    expect(result.files[0]).toMatchObject({ encrypted: false, pdfCipher: 'AES-128', openedWithId: false });
  });

  it('refuses a file named .pdf that is not a PDF, and a PDF whose encryption dictionary is unreadable', async () => {
    expect((await refused(enc('hello'), { fileName: 'x.pdf' })).code).toBe(PackageErrorCode.UNKNOWN_FORMAT);
    const broken = new TextDecoder('latin1').decode(aesPdf).replace(/\/O\s*[<(]/, '/Q <');
    expect((await refused(Uint8Array.from(broken, (c) => c.charCodeAt(0)), { fileName: 'x.pdf', id: TEST_ID })).code).toBe(PackageErrorCode.PDF_INVALID);
  });
});

describe('CSV text encodings (python3 codecs)', () => {
  const cases: ['utf-8' | 'utf-8-sig' | 'big5', string, string][] = [
    ['utf-8', 'utf-8', CSV_TEXT],
    ['utf-8-sig', 'utf-8-bom', CSV_TEXT],
    // Big5 has no CJK Extension B: the Big5 file carries only characters it can encode.
    ['big5', 'big5', '姓名,出生日期,地址\r\n陳小明,0790115,臺北市中正區\r\n'],
  ];
  for (const [codec, expected, text] of cases) {
    it(`detects ${codec} and decodes it without loss`, async () => {
      const path = join(root, `csv-${codec}.csv`);
      const bytes = writeCsv(path, text, codec);
      const zipPath = join(root, `csv-${codec}.zip`);
      infoZip(zipPath, [path]);
      const rec = recorder();
      const result = await readWebsiteDownload(zipPath, { sink: rec.sink });
      expect(result.files[0]?.encoding).toBe(expected);
      const kept = Uint8Array.from(rec.got.get(`csv-${codec}.csv`)?.bytes ?? []);
      expect(sha256Hex(kept)).toBe(sha256Hex(bytes));
      expect(decodeText(kept, result.files[0]!.encoding!)).toBe(text);
    });
  }

  it('a CSV in neither encoding is kept with encoding null, never decoded as something else', async () => {
    const result = await readWebsiteDownload(Uint8Array.from([0x41, 0x2c, 0xff, 0xfe, 0x80, 0x0a]), { fileName: 'odd.csv' });
    expect(result.files[0]?.encoding).toBeNull();
  });
});

describe('hostile and foreign zips are refused as in signed packages', () => {
  const cases: [string, { name: string; data: string }[], string][] = [
    ['"../" name', [{ name: '../evil.csv', data: 'x' }], PackageErrorCode.NAME_TRAVERSAL],
    ['absolute path', [{ name: '/etc/evil.csv', data: 'x' }], PackageErrorCode.NAME_ABSOLUTE],
    ['drive letter', [{ name: 'C:/evil.csv', data: 'x' }], PackageErrorCode.NAME_DRIVE_LETTER],
    ['backslash', [{ name: 'dir\\evil.csv', data: 'x' }], PackageErrorCode.NAME_BACKSLASH],
    ['duplicate name', [{ name: 'a.csv', data: '1' }, { name: 'a.csv', data: '2' }], PackageErrorCode.DUPLICATE_NAME],
    ['case twins', [{ name: 'A.csv', data: '1' }, { name: 'a.CSV', data: '2' }], PackageErrorCode.DUPLICATE_NAME_CASE],
    ['sub-folder', [{ name: 'folder/a.csv', data: '1' }], PackageErrorCode.UNKNOWN_FORMAT],
    ['another file type', [{ name: 'a.csv', data: '1' }, { name: 'setup.exe', data: 'MZ' }], PackageErrorCode.UNKNOWN_FORMAT],
    ['JSON that is not text', [{ name: 'a.json', data: '{"a":"\xff\xfe"}' }], PackageErrorCode.UNKNOWN_FORMAT],
    ['signed layout', [{ name: 'META-INFO/manifest.xml', data: '<files/>' }, { name: 'a.csv', data: '1' }], PackageErrorCode.SIGNED_LAYOUT],
    ['signed layout, backslash META-INFO (as real producers write it)', [{ name: 'META-INFO\\manifest.xml', data: '<files/>' }], PackageErrorCode.SIGNED_LAYOUT],
    ['empty zip', [], PackageErrorCode.UNKNOWN_FORMAT],
  ];
  for (const [title, entries, code] of cases) {
    it(title, async () => {
      const path = join(root, `hostile-${title.replace(/\W+/g, '-')}.zip`);
      pythonZip(path, entries);
      const rec = recorder();
      expect((await refused(path, { sink: rec.sink })).code).toBe(code);
      expect([...rec.got.values()].filter((v) => v.state === 'closed').length).toBeLessThanOrEqual(entries.length);
    });
  }

  it('a symlink stored by Info-ZIP (zip -y)', async () => {
    const dir = folder(root, 'links');
    symlinkSync('/etc/passwd', join(dir, 'link.csv'));
    execFileSync('zip', ['-q', '-y', '-j', join(root, 'symlink.zip'), join(dir, 'link.csv')]);
    expect((await refused(join(root, 'symlink.zip'))).code).toBe(PackageErrorCode.SYMLINK_ENTRY);
  });

  it('a truncated download', async () => {
    const bytes = infoZip(join(root, 'cut.zip'), [join(src, '勞保投保資料.pdf')]);
    expect((await refused(bytes.subarray(0, bytes.length - 30), { fileName: 'cut.zip' })).code).toBe(PackageErrorCode.TRUNCATED);
  });

  it('an unknown lone file', async () => {
    expect((await refused(enc('PK-not-really'), { fileName: 'notes.docx' })).code).toBe(PackageErrorCode.UNKNOWN_FORMAT);
  });
});

describe('layout detection and name hints', () => {
  it('tells a signed package, a website zip, a PDF and an unknown file apart without an ID', async () => {
    const ca = await makeCa('Website Test CA');
    const signer = await makeSigner(ca, 'Provider');
    const signed = await buildPackage([{ resource_id: 'API.7QovE2Gev6', bytes: await buildPart({ signer, files: [{ name: 'a.json', bytes: enc('{}') }] }) }]);
    expect(await detectLayout(signed)).toBe('signed-package');
    expect(await detectLayout(infoZip(join(root, 'detect.zip'), [join(src, '所得資料.csv')], TEST_ID))).toBe('website-zip');
    expect(await detectLayout(aesPdf)).toBe('pdf');
    expect(await detectLayout(utf8Csv, 'a.csv')).toBe('csv');
    expect(await detectLayout(enc('hello'), 'a.txt')).toBe('unknown');
    expect((await refused(signed, { fileName: 'pkg.zip' })).code).toBe(PackageErrorCode.SIGNED_LAYOUT);
  });

  it('reads dataset names and stamps from real download names', () => {
    expect(nameHints('個人戶籍資料20240315103000.zip')).toEqual({ resourceName: '個人戶籍資料', stamp: '20240315103000', looksLike: 'website' });
    expect(nameHints('個人戶籍資料20240315103000 (1).zip')).toMatchObject({ resourceName: '個人戶籍資料', looksLike: 'website' });
    expect(nameHints('勞保資料.zip')).toEqual({ resourceName: '勞保資料', stamp: null, looksLike: 'counter' });
    expect(nameHints('download0f8fad5b-d9cb-469f-a165-70867728950e.zip')).toEqual({ resourceName: null, stamp: null, looksLike: 'unknown' });
    expect(nameHints(null).looksLike).toBe('unknown');
  });
});
