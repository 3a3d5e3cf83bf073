// The demo's stand-in for the official website's self-download (synthetic data): a page with a link per person, and a flat zip as the website hands it out (ZipCrypto with the person's ID, an ID-encrypted PDF, a CSV).
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendHtml } from './http.ts';
import { taipeiStamp } from '../common/time.ts';

export interface WebsitePerson {
  id: string;
  name_zh: string;
  name_en: string;
  national_id: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The demo page: says plainly it is the sandbox, lists the synthetic people, one download link each. */
export function websitePage(res: ServerResponse, people: readonly WebsitePerson[]): void {
  const links = people
    .map((p) => `<li><a href="/website/download?person=${encodeURIComponent(p.id)}" download>${esc(p.name_zh)} ${esc(p.name_en)} — 下載我的資料 Download my data</a></li>`)
    .join('');
  sendHtml(
    res,
    200,
    `<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>示範：MyData 網站下載（合成資料） Demo: MyData website download</title></head><body>
<p><strong>示範環境，合成資料，非真實的 MyData 網站。</strong> Demo sandbox with synthetic data, not the real MyData website.</p>
<h1>個人化資料自主運用（示範） MyData (demo)</h1>
<p>下載的壓縮檔以該人的身分證統一編號加密（ZipCrypto），其中的 PDF 也以身分證統一編號加密，如同官方網站。The zip is protected with the person's national ID, as is the PDF inside, as on the official website.</p>
<ul>${links}</ul></body></html>`,
  );
}

// ---- a small PDF encrypted with the standard security handler, revision 4, AES-128 (what the portal's iText writes) ----

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
  }
  const out = Buffer.alloc(data.length);
  let a = 0;
  let b = 0;
  for (let n = 0; n < data.length; n++) {
    a = (a + 1) & 0xff;
    b = (b + (s[a] ?? 0)) & 0xff;
    [s[a], s[b]] = [s[b] ?? 0, s[a] ?? 0];
    out[n] = (data[n] ?? 0) ^ (s[((s[a] ?? 0) + (s[b] ?? 0)) & 0xff] ?? 0);
  }
  return out;
}

const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (password: string): Buffer => Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);

/** A one-page PDF with `lines` of ASCII text whose open (user) password is `id`; content AES-128 (AESV2), metadata clear. */
export function idEncryptedPdf(lines: readonly string[], id: string, owner = randomBytes(16).toString('hex')): Uint8Array {
  const p = -3904; // print allowed only, as the portal sets ALLOW_PRINTING
  const fileId = randomBytes(16);
  // Algorithm 3: the owner entry, from the owner password, RC4 over the padded user password, 19 re-keyed rounds.
  let ownerKey = md5(padded(owner));
  for (let i = 0; i < 50; i++) ownerKey = md5(ownerKey);
  let o = rc4(ownerKey, padded(id));
  for (let i = 1; i <= 19; i++) o = rc4(Buffer.from(ownerKey.map((x) => x ^ i)), o);
  // Algorithm 2: the file key (metadata not encrypted adds 0xFFFFFFFF).
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  let key = md5(padded(id), o, pBytes, fileId, Buffer.from([0xff, 0xff, 0xff, 0xff]));
  for (let i = 0; i < 50; i++) key = md5(key);
  // Algorithm 5: the user entry.
  let u = rc4(key, md5(PAD, fileId));
  for (let i = 1; i <= 19; i++) u = rc4(Buffer.from(key.map((x) => x ^ i)), u);
  u = Buffer.concat([u, randomBytes(16)]);

  const text = lines.map((line, i) => `BT /F1 14 Tf 40 ${760 - i * 22} Td (${line.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`).join('\n');
  // Algorithm 1 with AESV2: the object's key is MD5(file key, object number, generation, "sAlT"); a random IV leads the data.
  const objectNumber = 4;
  const objectKey = md5(key, Buffer.from([objectNumber & 0xff, (objectNumber >> 8) & 0xff, (objectNumber >> 16) & 0xff, 0, 0]), Buffer.from('sAlT', 'latin1')).subarray(0, 16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', objectKey, iv);
  const stream = Buffer.concat([iv, cipher.update(Buffer.from(text, 'latin1')), cipher.final()]);

  const hex = (b: Buffer) => `<${b.toString('hex')}>`;
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} >>\nstream\n`), stream, Buffer.from('\nendstream')]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    Buffer.from(`<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF /EncryptMetadata false /O ${hex(o)} /U ${hex(u)} /P ${p} >>`),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.6\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(size);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), object, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    size += chunk.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((off) => `${String(off).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 6 0 R /ID [${hex(fileId)} ${hex(fileId)}] >>\nstartxref\n${size}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

/** The website-style download for one person: `個人資料<yyyyMMddHHmmss>.zip`, ZipCrypto with the ID, holding the encrypted PDF and a UTF-8 (BOM) CSV. */
export async function websiteDownload(person: WebsitePerson, now: Date): Promise<{ fileName: string; bytes: Uint8Array }> {
  const pdf = idEncryptedPdf(
    ['MyData demo - synthetic data, not a real record', `Household registration of ${person.name_en}`, 'Issued by the MyData Desktop sandbox'],
    person.national_id,
  );
  const csv = new TextEncoder().encode(`\ufeff姓名,出生日期,戶籍地址\r\n${person.name_zh},0790115,臺北市中正區示範路1號\r\n`);
  // zip.js loads here, on the first download, not at start-up.
  const { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } = await import('@zip.js/zip.js');
  const writer = new ZipWriter(new Uint8ArrayWriter(), { password: person.national_id, zipCrypto: true, level: 6, useWebWorkers: false });
  await writer.add('個人戶籍資料.pdf', new Uint8ArrayReader(pdf));
  await writer.add('個人戶籍資料.csv', new Uint8ArrayReader(csv));
  const bytes = await writer.close();
  // The website's name: the dataset name and its download stamp in Taipei time.
  const taipei = taipeiStamp(now);
  return { fileName: `個人資料${taipei}.zip`, bytes };
}
