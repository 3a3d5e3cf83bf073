// Import of the official website's unsigned downloads through the My data core: verdict "unsigned" (never verified), originals kept as received, one history record per dataset with the file's SHA-256, the ID nowhere on disk, unknown formats leave nothing behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatasetService } from '../../../electron/core/datasets/service.ts';
import { MyDataService, type FileDialogs } from '../../../electron/core/mydata/service.ts';
import type { DatasetInfo } from '../../../electron/core/package/into-vault.ts';
import { localStores, type LocalStores } from '../../../electron/core/stores.ts';
import { insecureTestProtector } from '../vault/helpers.ts';
import { codeOf } from '../../support/outcomes.ts';
import { folder, infoZip, OTHER_ID, pythonZip, qpdfEncrypt, sha256Hex, TEST_ID, write, writeCsv, writePdf } from '../../support/website-fixtures.ts';

const clock = { now: () => new Date() };
const root = mkdtempSync(join(tmpdir(), 'website-import-'));
let dir: string;
let stores: LocalStores;
let src: string;
let aesPdf: Uint8Array;
const BIG5_TEXT = '姓名,年度,所得總額\r\n陳小明,112,"1,234,567"\r\n';

const REGISTRY: DatasetInfo[] = [
  { id: 'API.7QovE2Gev6', name: { zh: '個人戶籍資料', en: 'Personal household registration' }, provider: { id: 'ris', name: { zh: '內政部戶政司', en: 'Department of Household Registration' } } },
  { id: 'API.syWqjr4flJ', name: { zh: '所得資料', en: 'Income' }, provider: { id: 'fia', name: { zh: '財政部財政資訊中心', en: 'Fiscal Information Agency' } } },
];

beforeAll(() => {
  src = folder(root, 'src');
  writePdf(join(src, 'plain.pdf'), 'Household record');
  aesPdf = qpdfEncrypt(join(src, 'plain.pdf'), join(src, '個人戶籍資料.pdf'), 'aes-128');
  writeCsv(join(src, '所得資料.csv'), BIG5_TEXT, 'big5');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'website-profile-'));
  stores = localStores({ profileDir: dir, protector: insecureTestProtector(), clock, retentionYears: () => 2 });
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(files: string[], options: { demo?: boolean } = {}): MyDataService {
  const dialogs: FileDialogs = { chooseFile: () => Promise.resolve(files.shift() ?? null), chooseFolder: () => Promise.resolve(null) };
  return new MyDataService({
    stores,
    profileDir: dir,
    clock,
    directory: () => Promise.resolve({ services: [], trustAnchors: [] }),
    knownServices: () => [],
    identity: { session: () => null, platformClient: () => { throw new Error('no platform in this test'); } },
    dialogs,
    onTask: () => undefined,
    demo: () => options.demo ?? false,
    datasets: () => REGISTRY,
  });
}

async function state(): Promise<{ packages: number; records: number; blobs: string[] }> {
  const { vault, history } = await stores.get();
  let blobs: string[] = [];
  try {
    blobs = readdirSync(join(dir, 'vault', 'blobs'));
  } catch {
    blobs = [];
  }
  return { packages: (await vault.list()).length, records: history.records().length, blobs };
}

function profileHolds(text: string): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && readFileSync(join(entry.parentPath, entry.name)).includes(Buffer.from(text))) hits.push(entry.name);
  }
  return hits;
}

describe('a website download: ZipCrypto with the ID, an ID-encrypted PDF and a Big5 CSV', () => {
  it('asks for the ID, refuses a wrong one leaving nothing, imports with the right one as unsigned, keeps the PDF encrypted and records the file digest', async () => {
    const zipPath = join(root, '個人資料20240315103000.zip');
    const zipBytes = infoZip(zipPath, [join(src, '個人戶籍資料.pdf'), join(src, '所得資料.csv')], TEST_ID);
    const my = service([zipPath]);
    const choice = await my.importChoose();
    expect(choice).toMatchObject({ cancelled: false, encrypted: true, layout: 'website', fileName: '個人資料20240315103000.zip' });
    if (choice.cancelled) throw new Error('cancelled');
    await stores.get();
    const before = await state();

    expect(await codeOf(my.import(choice.token))).toBe('PACKAGE_PASSWORD_REQUIRED');
    expect(await codeOf(my.import(choice.token, OTHER_ID))).toBe('PACKAGE_WRONG_ID');
    expect(await codeOf(my.import(choice.token, 'A123456788'))).toBe('MYDATA_IMPORT_PASSWORD_FORMAT');
    expect(await state()).toEqual(before);

    const result = await my.import(choice.token, TEST_ID.toLowerCase());
    expect(result).toMatchObject({ ok: false, verdict: 'unsigned', sha256: sha256Hex(zipBytes) });
    expect(result.package.origin).toEqual({ source: 'official-website', fileName: '個人資料20240315103000.zip', sha256: sha256Hex(zipBytes), size: zipBytes.length });
    expect(result.package.providers.map((p) => [p.resourceId, p.badge, p.dataset.zh])).toEqual([
      ['API.7QovE2Gev6', 'unsigned', '個人戶籍資料'],
      ['API.syWqjr4flJ', 'unsigned', '所得資料'],
    ]);
    expect(result.package.providers.every((p) => p.badge !== 'verified')).toBe(true);
    // Kept as received: the PDF is still the qpdf-encrypted file, the CSV decodes from Big5 without loss.
    const pdf = await my.readPdf(result.package.id, '個人戶籍資料.pdf');
    expect(sha256Hex(pdf.bytes)).toBe(sha256Hex(aesPdf));
    expect((await my.read(result.package.id, '所得資料.csv')).text).toBe(BIG5_TEXT);

    const { history } = await stores.get();
    const records = history.records();
    expect(records.map((r) => [r.kind, r.dataset.id, r.provider.id, r.result, r.code, r.import?.source, r.import?.verdict, r.import?.file_sha256, r.subject?.masked_id])).toEqual([
      ['import', 'API.7QovE2Gev6', 'ris', 'success', 'UNSIGNED', 'official-website', 'unsigned', sha256Hex(zipBytes), 'A12345****'],
      ['import', 'API.syWqjr4flJ', 'fia', 'success', 'UNSIGNED', 'official-website', 'unsigned', sha256Hex(zipBytes), 'A12345****'],
    ]);
    await stores.close();
    // The ID is nowhere in the profile's bytes (vault, history, settings, keys).
    expect(profileHolds(TEST_ID)).toEqual([]);
    expect(profileHolds(TEST_ID.toLowerCase())).toEqual([]);
    stores = localStores({ profileDir: dir, protector: insecureTestProtector(), clock, retentionYears: () => 2 });
  });

  it('a counter-service zip dropped on the window (bytes, no path) is named after its dataset; the demo profile labels it demo', async () => {
    const bytes = infoZip(join(root, 'counter.zip'), [join(src, '個人戶籍資料.pdf')]);
    const my = service([]);
    const choice = await my.importOffer('個人戶籍資料.zip', bytes);
    if (choice.cancelled) throw new Error('cancelled');
    expect(choice.encrypted).toBe(true);
    const result = await my.import(choice.token, TEST_ID);
    expect(result.package.origin?.source).toBe('counter');
    expect(result.package.providers.map((p) => p.resourceId)).toEqual(['API.7QovE2Gev6']);

    const demo = service([], { demo: true });
    const again = await demo.importOffer('個人戶籍資料.zip', bytes);
    if (again.cancelled) throw new Error('cancelled');
    expect((await demo.import(again.token, TEST_ID)).package.origin?.source).toBe('demo');
  });

  it('a plain flat zip needs no ID; its unknown dataset is named after the file, and the record names no one', async () => {
    const path = join(root, '其他資料20240101000000.zip');
    infoZip(path, [write(join(src, 'notes.json'), '{"a":1}')]);
    const my = service([path]);
    const choice = await my.importChoose();
    if (choice.cancelled) throw new Error('cancelled');
    expect(choice.encrypted).toBe(false);
    const result = await my.import(choice.token);
    expect(result.verdict).toBe('unsigned');
    const { history } = await stores.get();
    expect(history.records().map((r) => [r.dataset.id, r.provider.id, r.subject])).toEqual([['其他資料', 'unknown', null]]);
  });
});

describe('read() decodes a stored CSV with the importer\'s decoder', () => {
  it('UTF-16 (python3 "utf-16", with BOM), UTF-8 with BOM and Big5 read back exactly; the readable view reports the same encodings', async () => {
    const text = '姓名,所得總額\r\n洪𣉥𫙸,"1,234"\r\n';
    const files = [
      writeCsv(join(src, 'utf16.csv'), text, 'utf-16'),
      writeCsv(join(src, 'bom.csv'), text, 'utf-8-sig'),
      writeCsv(join(src, 'big5.csv'), BIG5_TEXT, 'big5'),
    ];
    expect([...files[0]!.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const path = join(root, '編碼20240101000000.zip');
    infoZip(path, [join(src, 'utf16.csv'), join(src, 'bom.csv'), join(src, 'big5.csv')]);
    const my = service([path]);
    const choice = await my.importChoose();
    if (choice.cancelled) throw new Error('cancelled');
    const result = await my.import(choice.token);
    const id = result.package.id;
    expect((await my.read(id, 'utf16.csv')).text).toBe(text);
    expect((await my.read(id, 'bom.csv')).text).toBe(text);
    expect((await my.read(id, 'big5.csv')).text).toBe(BIG5_TEXT);
    const views = new DatasetService({ stores, clock, chooseSavePath: () => Promise.resolve(null) });
    expect((await views.view(id, 'utf16.csv')).encoding).toBe('utf-16le');
    expect((await views.view(id, 'bom.csv')).encoding).toBe('utf-8-bom');
    expect((await views.view(id, 'big5.csv')).encoding).toBe('big5');
  });
});

describe('unknown formats and hostile files leave the vault and the history unchanged', () => {
  const cases: [string, () => string, string][] = [
    ['a Word document (a zip of XML)', () => { pythonZip(join(root, 'letter.docx'), [{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }]); return join(root, 'letter.docx'); }, 'PACKAGE_UNKNOWN_FORMAT'],
    ['a broken zip', () => write(join(root, 'broken.zip'), 'PK\u0003\u0004 not really'), 'PACKAGE_UNKNOWN_FORMAT'],
    ['a text file', () => write(join(root, 'notes.txt'), 'hello'), 'PACKAGE_UNKNOWN_FORMAT'],
    ['a zip with an executable', () => { pythonZip(join(root, 'exe.zip'), [{ name: 'a.csv', data: '1' }, { name: 'run.exe', data: 'MZ' }]); return join(root, 'exe.zip'); }, 'PACKAGE_UNKNOWN_FORMAT'],
    ['a zip with "../"', () => { pythonZip(join(root, 'evil.zip'), [{ name: '../evil.csv', data: '1' }]); return join(root, 'evil.zip'); }, 'PACKAGE_NAME_TRAVERSAL'],
  ];
  for (const [title, make, code] of cases) {
    it(title, async () => {
      await stores.get();
      const before = await state();
      const my = service([make()]);
      expect(await codeOf(my.importChoose())).toBe(code);
      expect(await state()).toEqual(before);
    });
  }

  it('a failure mid-import (the CSV already streamed into the vault, then a "PDF" that is not one) keeps nothing', async () => {
    // ZipCrypto hides the contents until the ID is given, so the offer succeeds and the failure comes while importing.
    const path = join(root, 'late.zip');
    infoZip(path, [join(src, '所得資料.csv'), write(join(src, 'fake.pdf'), 'not a pdf at all')], TEST_ID);
    const my = service([path]);
    const choice = await my.importChoose();
    if (choice.cancelled) throw new Error('cancelled');
    await stores.get();
    const before = await state();
    expect(await codeOf(my.import(choice.token, TEST_ID))).toBe('PACKAGE_PDF_INVALID');
    expect(await state()).toEqual(before);
  });
});
