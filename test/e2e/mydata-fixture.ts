// Builds, at test time and with standard tools only (openssl, sha256sum, Info-ZIP's `zip -P`), a package in the real MyData
// layout whose provider certificate comes from a CA the app does not know, ZipCrypto-encrypted with a national ID.
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
