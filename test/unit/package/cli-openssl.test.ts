// Independent check: a package built the platform's way with only openssl, sha256sum and Info-ZIP (incl. ZipCrypto `zip -P`), verified through the API and the CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageErrorCode, verifyPackage } from '../../../electron/core/package/index.ts';
import { bindingsFromJson } from '../../../electron/core/package/signers.ts';
import { rawZip, enc } from './fixtures.ts';
import { runVerifyCli } from '../../support/verify-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'pkg-openssl-'));
const ID = 'A123456789';
const haveTools = ['openssl', 'zip', 'sha256sum'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

/** Builds CA, provider certificate, one signed part and the outer package (plain and ZipCrypto) with shell tools only. */
const BUILD = String.raw`
set -eu
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/C=TW/O=MyData Test/CN=OpenSSL Test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout provider.key -out provider.csr -subj "/C=TW/O=Household Registration/CN=Provider A" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' > leaf.ext
openssl x509 -req -in provider.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out provider.pem -days 365 -extfile leaf.ext 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 3650 -subj "/CN=Unrelated CA" 2>/dev/null
build_part() { # $1 = part dir, $2 = output zip
  mkdir -p "$1/META-INFO"
  ( cd "$1"
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n'
      for f in $(find . -type f ! -path './META-INFO/*' | sed 's|^\./||' | sort); do
        d=$(sha256sum "$f" | cut -d' ' -f1 | tr a-f A-F)
        printf '  <file>\n    <filename>%s</filename>\n    <digest>%s</digest>\n  </file>\n' "$f" "$d"
      done
      printf '</files>\n'; } > META-INFO/manifest.xml
    openssl dgst -sha256 -sign ../provider.key -out META-INFO/manifest.sha256withrsa META-INFO/manifest.xml
    openssl x509 -in ../provider.pem -outform DER -out META-INFO/certificate.cer
    zip -q -r -X "../$2" . )
}
mkdir -p partA/records
printf '{"name":"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e","household":[1,2]}' > partA/household.json
printf 'year,amount\n2024,1000\n' > partA/records/tax.csv
head -c 20000 /dev/urandom > partA/certificate.pdf
build_part partA API.A01.zip
mkdir -p outer/META-INFO
cp API.A01.zip outer/
printf '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file>\n    <filename>API.A01.zip</filename>\n    <resource_id>API.A01</resource_id>\n    <resource_name>\xe6\x88\xb6\xe7\xb1\x8d\xe8\xb3\x87\xe6\x96\x99</resource_name>\n    <code>200</code>\n  </file>\n</files>\n' > outer/META-INFO/manifest.xml
( cd outer && zip -q -r -X ../package.zip . && zip -q -r -X -P ${ID} ../package-zipcrypto.zip . )
# A tampered copy: the data changes after the manifest was signed.
cp -r partA partT && printf 'year,amount\n2024,9999\n' > partT/records/tax.csv
( cd partT && rm -f ../API.T.zip && zip -q -r -X ../API.T.zip . )
sha256sum partA/household.json partA/records/tax.csv partA/certificate.pdf > digests.txt
# Who may sign API.A01: the provider's certificate, by the SHA-256 of its DER.
printf '{"API.A01":["sha256:%s"],"API.T":["sha256:%s"]}' "$(openssl x509 -in provider.pem -outform DER | sha256sum | cut -d' ' -f1)" "$(openssl x509 -in provider.pem -outform DER | sha256sum | cut -d' ' -f1)" > signers.json
`;

const run = (args: string[], cwd = work) => runVerifyCli(args, cwd);

const p = (name: string) => join(work, name);
const signers = () => bindingsFromJson(JSON.parse(readFileSync(p('signers.json'), 'utf8')));
const S = () => ['--signers', p('signers.json')];

describe.skipIf(!haveTools)('a package made with openssl and Info-ZIP', { timeout: 180_000 }, () => {
  beforeAll(() => {
    execFileSync('bash', ['-c', BUILD], { cwd: work });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('verifies through the API: signature, chain, every digest (upper-case hex accepted)', async () => {
    const v = await verifyPackage(p('package.zip'), { trustAnchors: [readFileSync(p('ca.pem'), 'utf8')], signers: signers() });
    expect(v.ok).toBe(true);
    expect(v.providers).toHaveLength(1);
    const [provider] = v.providers;
    // The outer manifest's name is unsigned: never shown; --signers gave no name, and the data names none.
    expect(provider!.resource_name).toBeNull();
    const expected = readFileSync(p('digests.txt'), 'utf8').trim().split('\n').map((line) => {
      const [digest, path] = line.split(/\s+/);
      return [path!.replace('partA/', ''), digest];
    });
    expect(provider!.files.map((f) => [f.filename, f.digest]).sort()).toEqual(expected.sort());
  });

  it('CLI: exit 0 and one JSON object when the chain reaches --trust', () => {
    const r = run([p('package.zip'), '--trust', p('ca.pem'), ...S()]);
    expect(r.status).toBe(0);
    expect(r.json.verdict).toBe('verified');
    expect(r.json.ok).toBe(true);
    expect(r.json.error).toBeNull();
    expect(r.json.providers[0]).toMatchObject({ resource_id: 'API.A01', signature: 'valid', certificate: 'trusted', errors: [] });
    expect(r.json.providers[0].files).toHaveLength(3);
    expect(r.json.providers[0].files[0]).toHaveProperty('digest');
  });

  it('CLI: without the CA, "issuer not recognised" is reported distinctly and exits 1', () => {
    const r = run([p('package.zip'), '--trust', p('other.pem'), ...S()]);
    expect(r.status).toBe(1);
    expect(r.json.verdict).toBe('refused');
    expect(r.json.ok).toBe(false);
    expect(r.json.providers[0]).toMatchObject({ signature: 'valid', certificate: 'untrusted-issuer', status: 'issuer-not-recognised' });
    expect(r.json.error.code).toBe(PackageErrorCode.CERTIFICATE_UNTRUSTED);
  });

  it('ZipCrypto (zip -P): the national ID opens it, upper-cased; a wrong one fails clearly; none asks for it', () => {
    const right = run([p('package-zipcrypto.zip'), '--id', ID.toLowerCase(), '--trust', p('ca.pem'), ...S()]);
    expect(right.status).toBe(0);
    expect(right.json.ok).toBe(true);
    const wrong = run([p('package-zipcrypto.zip'), '--id', 'B123456780', '--trust', p('ca.pem')]);
    expect(wrong.status).toBe(1);
    expect(wrong.json.error.code).toBe(PackageErrorCode.WRONG_PASSWORD);
    expect(wrong.json.error.message).toMatch(/national ID/);
    expect(wrong.json.error.message_zh).toMatch(/身分證/);
    const none = run([p('package-zipcrypto.zip'), '--trust', p('ca.pem')]);
    expect(none.json.error.code).toBe(PackageErrorCode.PASSWORD_REQUIRED);
  });

  it('ZipCrypto through the API, and the ID appears nowhere in the verdict', async () => {
    const v = await verifyPackage(p('package-zipcrypto.zip'), { password: ` ${ID.toLowerCase()} `, trustAnchors: [readFileSync(p('ca.pem'), 'utf8')], signers: signers() });
    expect(v.ok).toBe(true);
    expect(JSON.stringify(v)).not.toContain(ID);
    await expect(verifyPackage(p('package-zipcrypto.zip'), { password: 'Z999999999' })).rejects.toMatchObject({ code: PackageErrorCode.WRONG_PASSWORD });
  });

  it('CLI: a single provider part, and a tampered one', () => {
    const part = run([p('API.A01.zip'), '--trust', p('ca.pem'), ...S(), '--resource', 'API.A01']);
    expect(part.status).toBe(0);
    expect(part.json.kind).toBe('part');
    expect(part.json.providers[0].resource_id).toBe('API.A01');
    const tampered = run([p('API.T.zip'), '--trust', p('ca.pem'), ...S(), '--resource', 'API.T']);
    expect(tampered.status).toBe(1);
    expect(tampered.json.providers[0].signature).toBe('valid');
    expect(tampered.json.providers[0].errors.map((e: { code: string }) => e.code)).toEqual([PackageErrorCode.DIGEST_MISMATCH]);
  });

  it('CLI: a hostile archive is refused with its code, and nothing is written where it runs', () => {
    const empty = mkdtempSync(join(work, 'cwd-'));
    writeFileSync(p('evil.zip'), rawZip([{ name: '../../escaped.json', data: enc('{}') }]));
    const r = run([p('evil.zip')], empty);
    expect(r.status).toBe(1);
    expect(r.json.error.code).toBe(PackageErrorCode.NAME_TRAVERSAL);
    expect(readdirSync(empty)).toEqual([]);
    expect(readdirSync(work)).not.toContain('escaped.json');
  });

  it('CLI usage errors exit 2', () => {
    expect(run([]).status).toBe(2);
    expect(run([p('package.zip'), p('API.A01.zip')]).status).toBe(2);
    expect(run([p('package.zip'), '--trust', p('no-such.pem')]).status).toBe(2);
    expect(run([p('package.zip'), '--bogus']).status).toBe(2);
    const r = run([p('package.zip'), '--at', 'not a date']);
    expect(r.status).toBe(2);
    expect(r.json.error.code).toBe('PACKAGE_USAGE');
  });

  it('CLI: a missing file is a verification failure (1), not a crash', () => {
    const r = run([p('nope.zip')]);
    expect(r.status).toBe(1);
    expect(r.json.error.code).toBe(PackageErrorCode.READ_FAILED);
  });

  it('CLI --at: the same package checked after the certificate expires', () => {
    const r = run([p('package.zip'), '--trust', p('ca.pem'), ...S(), '--at', new Date(Date.now() + 400 * 86_400_000).toISOString()]);
    expect(r.status).toBe(1);
    expect(r.json.providers[0].certificate).toBe('expired');
  });
});
