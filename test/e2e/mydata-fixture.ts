// Builds, at test time and with standard tools only (openssl, sha256sum, Info-ZIP's `zip -P`), packages in the real MyData
// layout: one whose provider certificate comes from a CA the app does not know, ZipCrypto-encrypted with a national ID, and a
// provider's part signed with a given key.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_ID = 'A123456789';

export const haveFixtureTools = ['openssl', 'zip', 'sha256sum'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

const BUILD = String.raw`
set -eu
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/C=TW/O=Fixture/CN=Fixture Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout provider.key -out provider.csr -subj "/C=TW/O=Household Registration/CN=Fixture Provider" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' > leaf.ext
openssl x509 -req -in provider.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out provider.pem -days 365 -extfile leaf.ext 2>/dev/null
mkdir -p part/META-INFO
printf '{"fields":[{"name":"name","label_zh":"\xe5\xa7\x93\xe5\x90\x8d","label_en":"Name"},{"name":"address","label_zh":"\xe5\x9c\xb0\xe5\x9d\x80","label_en":"Address"}],"data":{"name":"\xe6\x9e\x97\xe7\xbe\x8e\xe8\x8f\xaf","address":"Fixture Road 1"}}' > part/household.json
( cd part
  { printf '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n'
    for f in $(find . -maxdepth 1 -type f -printf '%P\n' | sort); do
      d=$(sha256sum "$f" | cut -d' ' -f1)
      printf '  <file><filename>%s</filename><digest>%s</digest></file>\n' "$f" "$d"
    done
    printf '</files>\n'; } > META-INFO/manifest.xml
  openssl dgst -sha256 -sign ../provider.key -out META-INFO/manifest.sha256withrsa META-INFO/manifest.xml
  openssl x509 -in ../provider.pem -outform DER -out META-INFO/certificate.cer
  zip -q -r -X ../API.H01.zip . )
mkdir -p outer/META-INFO
cp API.H01.zip outer/
printf '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file><filename>API.H01.zip</filename><resource_id>API.H01</resource_id><resource_name>\xe6\x88\xb6\xe7\xb1\x8d\xe8\xb3\x87\xe6\x96\x99</resource_name><code>200</code></file>\n</files>\n' > outer/META-INFO/manifest.xml
( cd outer && zip -q -r -X -P "$ID" ../mydata-package.zip . )
`;

/**
 * Returns the folder holding mydata-package.zip (ZipCrypto with FIXTURE_ID) and API.H01.zip (one provider's part, plain).
 * The part holds household.json and any `extraFiles` (plain names), each listed with its digest in the signed manifest.
 */
export function buildZipCryptoFixture(options: { extraFiles?: Record<string, Uint8Array> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mydata-import-'));
  mkdirSync(join(dir, 'part'));
  for (const [name, bytes] of Object.entries(options.extraFiles ?? {})) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name === 'household.json') throw new Error(`not a plain extra file name: ${name}`);
    writeFileSync(join(dir, 'part', name), bytes);
  }
  execFileSync('bash', ['-c', BUILD], { cwd: dir, env: { ...process.env, ID: FIXTURE_ID } });
  return dir;
}

/**
 * A one-page PDF whose Chinese text uses a font that is NOT embedded (as many PDFs made on Taiwanese office systems
 * do): a Type0 font with the predefined CMap UniCNS-UCS2-H over Adobe-CNS1. A viewer can map its codes to characters
 * only with Adobe's CMaps, so it shows whether the app ships them. Written by hand: no PDF library writes one.
 */
export function nonEmbeddedCjkPdf(text: string): Uint8Array {
  const hex = Array.from(text).map((ch) => (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')).join('');
  const content = `BT /F1 28 Tf 20 90 Td <${hex}> Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 360 200] /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /MingLiU /Encoding /UniCNS-UCS2-H /DescendantFonts [5 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MingLiU /CIDSystemInfo << /Registry (Adobe) /Ordering (CNS1) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /MingLiU /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

const BUILD_SIGNED_PART = String.raw`
set -eu
openssl pkey -inform DER -in "$KEY" -out signer.pem
mkdir -p part/META-INFO
printf '{"fields":[{"name":"name","label_zh":"\xe5\xa7\x93\xe5\x90\x8d","label_en":"Name"}],"data":{"name":"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"}}' > part/household.json
( cd part
  d=$(sha256sum household.json | cut -d' ' -f1)
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file><filename>household.json</filename><digest>%s</digest></file>\n</files>\n' "$d" > META-INFO/manifest.xml
  openssl dgst -sha256 -sign ../signer.pem -out META-INFO/manifest.sha256withrsa META-INFO/manifest.xml
  cp "$CERT" META-INFO/certificate.cer
  zip -q -r -X "../$RESOURCE.zip" . )
rm signer.pem
`;

/**
 * One provider's part for `resource` (named `<resource>.zip`, as a lone part is), signed with openssl by the given key
 * (PKCS#8 DER) and certificate (DER): with a real provider's key that is bound to another dataset, the signature and
 * chain hold but the signer is not this dataset's. Returns the zip's path; its folder is the caller's to remove.
 */
export function buildSignedPart(resource: string, keyDer: string, certDer: string): string {
  if (!/^API\.[A-Za-z0-9]{10}$/.test(resource)) throw new Error(`not a dataset id: ${resource}`);
  const dir = mkdtempSync(join(tmpdir(), 'mydata-part-'));
  execFileSync('bash', ['-c', BUILD_SIGNED_PART], { cwd: dir, env: { ...process.env, KEY: keyDer, CERT: certDer, RESOURCE: resource } });
  return join(dir, `${resource}.zip`);
}
