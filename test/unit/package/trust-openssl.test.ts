// Who may sign what and with which certificate (G4, G9): forged signers, certificates and paths built with openssl, packages with Info-ZIP and python3 zipfile, checked through package:verify.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageErrorCode, verifyPackage, type PackageVerdict } from '../../../electron/core/package/index.ts';
import { bindingsFromJson } from '../../../electron/core/package/signers.ts';
import { runVerifyCli } from '../../support/verify-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'pkg-trust-'));
const haveTools = ['openssl', 'zip', 'sha256sum', 'python3'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
const DAY = 86_400_000;

/**
 * A root, an intermediate (pathlen 0), providers A and B, and one forged certificate per policy rule; then one
 * signed part per case (`part NAME KEY CERT [SIGNATURE-NAME]`), each the data files of dir `data`.
 */
const BUILD = String.raw`
set -eu
q() { "$@" 2>/dev/null; }
ext() { printf "$1" > "$2"; }
ext 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' leaf.ext
ext 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' int0.ext
ext 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' ca.ext
ext 'basicConstraints=CA:FALSE\nkeyUsage=critical,keyEncipherment\n' enc.ext
ext 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' notca.ext
q openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 -subj "/C=TW/O=Trust Test/CN=Trust Test Root" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
q openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 3650 -subj "/CN=Unrelated Root"
# issue NAME ISSUER EXTFILE DAYS KEYBITS DIGEST [SUBJECT]
issue() {
  subj="/C=TW/O=Trust Test/OU=$1/CN=$1"
  if [ "$#" -ge 7 ]; then subj="$7"; fi
  q openssl req -utf8 -newkey "rsa:$5" -nodes -keyout "$1.key" -out "$1.csr" -subj "$subj"
  q openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" -days "$4" -extfile "$3" "-$6"
}
issue providerA root leaf.ext 365 2048 sha256 "/C=TW/O=行政院/OU=Provider A Agency/CN=Provider A"
issue providerB root leaf.ext 365 2048 sha256
issue asCa root ca.ext 365 2048 sha256
issue weak root leaf.ext 365 1024 sha256
issue sha1 root leaf.ext 365 2048 sha1
issue md5 root leaf.ext 365 2048 md5
issue encOnly root enc.ext 365 2048 sha256
issue shortLived root leaf.ext 1 2048 sha256
issue int root int0.ext 3650 2048 sha256
issue viaInt int leaf.ext 365 2048 sha256
issue int2 int ca.ext 3650 2048 sha256
issue tooDeep int2 leaf.ext 365 2048 sha256
issue notCa root notca.ext 3650 2048 sha256
issue underNotCa notCa leaf.ext 365 2048 sha256
issue intShort root int0.ext 1 2048 sha256
issue underShort intShort leaf.ext 30 2048 sha256
mkdir -p data
printf '{"dataset":{"id":"API.A01","name_zh":"\xe6\x88\xb6\xe7\xb1\x8d","name_en":"Household"},"tx_id":"TX-1","subject":{"id_masked":"A12345****"},"rows":[{"id":"B223456789"}]}' > data/household.json
printf 'year,amount\n2024,1000\n' > data/tax.csv
head -c 3000 /dev/urandom > data/report.pdf
openssl crl2pkcs7 -nocrl -certfile providerA.pem -outform DER -out data/certificate.p7b
# part NAME KEY CERT [SIGNATURE-NAME]: a signed part of the files in data/
part() {
  rm -rf "p_$1" && cp -r data "p_$1" && mkdir -p "p_$1/META-INFO"
  ( cd "p_$1"
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n'
      for f in $(ls | grep -v META-INFO | sort); do printf '<file><filename>%s</filename><digest>%s</digest></file>\n' "$f" "$(sha256sum "$f" | cut -d' ' -f1)"; done
      printf '</files>\n'; } > META-INFO/manifest.xml
    sig=manifest.sha256withrsa
    if [ "$#" -ge 4 ]; then sig="$4"; fi
    openssl dgst -sha256 -sign "../$2.key" -out "META-INFO/$sig" META-INFO/manifest.xml
    openssl x509 -in "../$3.pem" -outform DER -out META-INFO/certificate.cer
    rm -f "../$1.zip" && zip -q -r -X "../$1.zip" . )
}
for c in providerA providerB asCa weak sha1 md5 encOnly shortLived viaInt tooDeep underNotCa underShort; do part "$c" "$c" "$c"; done
part anchor root root
part oldName providerA providerA signature.sha256withrsa
cat int.pem > chain.pem; cat int2.pem >> chain.pem
for c in providerA providerB; do openssl x509 -in "$c.pem" -outform DER | sha256sum | cut -d' ' -f1 > "$c.sha256"; done
`;

/** Zips with names Info-ZIP will not write (backslashes), from the files of a built part directory. */
const PY_BACKSLASH = String.raw`
import sys, zipfile, pathlib
src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
base = pathlib.Path(src)
with zipfile.ZipFile(out, 'w') as z:
    for p in sorted(base.rglob('*')):
        if p.is_dir(): continue
        rel = p.relative_to(base).as_posix()
        name = rel.replace('META-INFO/', 'META-INFO\\') if rel.startswith('META-INFO/') else rel
        if mode == 'data' and rel == 'tax.csv': name = 'sub\\tax.csv'
        z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), p.read_bytes())
        if mode == 'twice' and rel == 'META-INFO/manifest.xml':
            z.writestr(zipfile.ZipInfo(rel, (2024, 1, 1, 0, 0, 0)), p.read_bytes())
`;

/** An outer package: parts with code 200 plus datasets answered 204 and 403 without a part. */
const PY_OUTER = String.raw`
import sys, zipfile
out, part = sys.argv[1], sys.argv[2]
rows = [('API.A01.zip', 'API.A01', '戶籍', '200'), ('', 'API.N204', '無資料', '204'), ('', 'API.N403', '拒絕', '403')]
xml = '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n' + ''.join(f'<file><filename>{f}</filename><resource_id>{r}</resource_id><resource_name>{n}</resource_name><code>{c}</code></file>\n' for f, r, n, c in rows) + '</files>\n'
with zipfile.ZipFile(out, 'w') as z:
    z.writestr('META-INFO\\manifest.xml', xml.encode())
    z.writestr('API.A01.zip', open(part, 'rb').read())
`;

const run = (args: string[]) => runVerifyCli(args, work);

const p = (name: string) => join(work, name);
const hash = (name: string) => readFileSync(p(`${name}.sha256`), 'utf8').trim();
function signersFile(name: string, map: Record<string, string[]>): string {
  execFileSync('python3', ['-c', 'import sys,json; open(sys.argv[1],"w").write(sys.argv[2])', p(name), JSON.stringify(map)]);
  return p(name);
}
const pem = (name: string) => readFileSync(p(`${name}.pem`), 'utf8');
/** Verifies part NAME in process as dataset API.A01, root the only anchor, `identities` bound to it. */
async function verifyPart(name: string, identities: string[], options: { chain?: string[]; at?: Date; resource?: string } = {}): Promise<PackageVerdict> {
  return verifyPackage(p(`${name}.zip`), {
    trustAnchors: [pem('root')],
    intermediates: (options.chain ?? []).map(pem),
    signers: bindingsFromJson({ 'API.A01': identities }),
    resourceId: options.resource ?? 'API.A01',
    ...(options.at === undefined ? {} : { now: () => options.at! }),
  });
}
const codes = (v: PackageVerdict): string[] => v.providers[0]!.errors.map((e) => e.code);
const TIMEOUT = 180_000;

describe.skipIf(!haveTools)('signers and certificates forged with openssl', () => {
  beforeAll(() => {
    execFileSync('bash', ['-c', BUILD], { cwd: work });
  }, TIMEOUT);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the provider bound to the dataset verifies (by certificate hash, by full subject, by organisation)', async () => {
    for (const identity of [`sha256:${hash('providerA')}`, 'DN=CN=Provider A,OU=Provider A Agency,O=行政院,C=TW', 'O=行政院']) {
      const v = await verifyPart('providerA', [identity]);
      expect(v.ok, identity).toBe(true);
      expect(v.providers[0]).toMatchObject({ status: 'verified', certificate: 'trusted' });
    }
    // The subject in DER order (as openssl prints it) is not the RFC 4514 form, and matches nothing.
    expect(codes(await verifyPart('providerA', ['DN=C=TW,O=行政院,OU=Provider A Agency,CN=Provider A']))).toEqual([PackageErrorCode.SIGNER_NOT_BOUND]);
  }, TIMEOUT);

  it('another provider under the same anchor cannot sign this dataset', async () => {
    const v = await verifyPart('providerB', [`sha256:${hash('providerA')}`]);
    expect(v.ok).toBe(false);
    expect(v.storable).toBe(false);
    expect(v.keepable).toBe(false);
    expect(v.providers[0]!.certificate).toBe('trusted');
    expect(codes(v)).toEqual([PackageErrorCode.SIGNER_NOT_BOUND]);
  }, TIMEOUT);

  it('a dataset without a binding, or a lone part without a resource id, is not verified even when it chains', async () => {
    const unbound = await verifyPackage(p('providerA.zip'), { trustAnchors: [pem('root')], signers: bindingsFromJson({ 'API.B02': [`sha256:${hash('providerA')}`] }), resourceId: 'API.A01' });
    expect(codes(unbound)).toEqual([PackageErrorCode.SIGNER_UNKNOWN]);
    expect(unbound.providers[0]!.status).toBe('no-known-signer');
    expect([unbound.ok, unbound.storable, unbound.keepable]).toEqual([false, false, true]);
    const lone = await verifyPackage(p('providerA.zip'), { trustAnchors: [pem('root')], signers: bindingsFromJson({ 'API.A01': [`sha256:${hash('providerA')}`] }) });
    expect(codes(lone)).toEqual([PackageErrorCode.SIGNER_UNKNOWN]);
  }, TIMEOUT);

  it('certificate policy: each forged signer refused with its own code, even when bound and chained', async () => {
    const cases: [string, string][] = [
      ['asCa', PackageErrorCode.CERTIFICATE_IS_CA],
      ['anchor', PackageErrorCode.CERTIFICATE_IS_ANCHOR],
      ['weak', PackageErrorCode.CERTIFICATE_WEAK_KEY],
      ['sha1', PackageErrorCode.CERTIFICATE_WEAK_ALGORITHM],
      ['md5', PackageErrorCode.CERTIFICATE_WEAK_ALGORITHM],
      ['encOnly', PackageErrorCode.CERTIFICATE_KEY_USAGE],
    ];
    for (const [name, code] of cases) {
      const cert = name === 'anchor' ? 'root' : name;
      const identity = `sha256:${execFileSync('sh', ['-c', `openssl x509 -in ${cert}.pem -outform DER | sha256sum | cut -d' ' -f1`], { cwd: work, encoding: 'utf8' }).trim()}`;
      const v = await verifyPart(name, [identity]);
      expect(v.providers[0]!.signature, name).toBe('valid');
      expect(codes(v), name).toEqual([code]);
      expect(v.keepable, name).toBe(false);
    }
  }, TIMEOUT);

  it('validity: a signer outside its validity period, before or after', async () => {
    const identity = ['O=Trust Test'];
    expect((await verifyPart('shortLived', identity)).ok).toBe(true);
    for (const at of [new Date(Date.now() + 3 * DAY), new Date(Date.now() - 3 * DAY)]) {
      expect(codes(await verifyPart('shortLived', identity, { at }))).toEqual([PackageErrorCode.CERTIFICATE_EXPIRED]);
    }
  }, TIMEOUT);

  it('the full path through intermediates: each a CA, within pathlen, valid in time; never trusted alone', async () => {
    const identity = ['O=Trust Test'];
    const through = await verifyPart('viaInt', identity, { chain: ['int'] });
    expect(through.ok).toBe(true);
    expect(through.providers[0]!.path).toEqual([expect.stringContaining('CN=viaInt'), expect.stringContaining('CN=int'), expect.stringContaining('CN=Trust Test Root')]);
    // Without the intermediate, or with it but no anchor above it, there is no path.
    expect(codes(await verifyPart('viaInt', identity))).toEqual([PackageErrorCode.CERTIFICATE_UNTRUSTED]);
    const alone = await verifyPackage(p('viaInt.zip'), { trustAnchors: [pem('other')], intermediates: [pem('int')], signers: bindingsFromJson({ 'API.A01': identity }), resourceId: 'API.A01' });
    expect(codes(alone)).toEqual([PackageErrorCode.CERTIFICATE_UNTRUSTED]);
    expect(codes(await verifyPart('tooDeep', identity, { chain: ['int', 'int2'] }))).toEqual([PackageErrorCode.CHAIN_PATH_LENGTH]);
    expect(codes(await verifyPart('underNotCa', identity, { chain: ['notCa'] }))).toEqual([PackageErrorCode.CHAIN_NOT_CA]);
    expect(codes(await verifyPart('underShort', identity, { chain: ['intShort'], at: new Date(Date.now() + 3 * DAY) }))).toEqual([PackageErrorCode.CHAIN_EXPIRED]);
    expect((await verifyPart('underShort', identity, { chain: ['intShort'] })).ok).toBe(true);
  }, TIMEOUT);

  it("real producers' variations: backslash META-INFO names, the older signature name, 204/403 without a part, pdf/json/csv/p7b", async () => {
    const identity = [`sha256:${hash('providerA')}`];
    execFileSync('python3', ['-c', PY_BACKSLASH, p('p_providerA'), p('backslash.zip'), 'meta'], { cwd: work });
    const backslash = await verifyPart('backslash', identity);
    expect(backslash.ok).toBe(true);
    expect(backslash.providers[0]!.files.map((f) => f.filename).sort()).toEqual(['certificate.p7b', 'household.json', 'report.pdf', 'tax.csv']);
    expect((await verifyPart('oldName', identity)).ok).toBe(true);
    execFileSync('python3', ['-c', PY_OUTER, p('outer.zip'), p('backslash.zip')], { cwd: work });
    const outer = await verifyPackage(p('outer.zip'), { trustAnchors: [pem('root')], signers: bindingsFromJson({ 'API.A01': identity }) });
    expect(outer.ok).toBe(true);
    expect(outer.providers.map((x) => [x.resource_id, x.status, x.code])).toEqual([['API.A01', 'verified', '200'], ['API.N204', 'not-delivered', '204'], ['API.N403', 'not-delivered', '403']]);
  }, TIMEOUT);

  it('a data file with a backslash is still refused, and two manifests (or two signatures) in one part are refused', async () => {
    const identity = [`sha256:${hash('providerA')}`];
    execFileSync('python3', ['-c', PY_BACKSLASH, p('p_providerA'), p('dataslash.zip'), 'data'], { cwd: work });
    await expect(verifyPart('dataslash', identity)).rejects.toMatchObject({ code: PackageErrorCode.NAME_BACKSLASH });
    execFileSync('python3', ['-c', PY_BACKSLASH, p('p_providerA'), p('twice.zip'), 'twice'], { cwd: work });
    await expect(verifyPart('twice', identity)).rejects.toMatchObject({ code: PackageErrorCode.META_DUPLICATE });
    execFileSync('sh', ['-c', 'cp -r p_oldName p_both && cp p_oldName/META-INFO/signature.sha256withrsa p_both/META-INFO/manifest.sha256withrsa && cd p_both && zip -q -r -X ../both.zip .'], { cwd: work });
    await expect(verifyPart('both', identity)).rejects.toMatchObject({ code: PackageErrorCode.META_DUPLICATE });
  }, TIMEOUT);

  it('the outer manifest cannot rename what the provider signed', async () => {
    // The part's signed JSON says API.A01; filed as API.B02 (with a binding that accepts its signer) it is refused.
    const v = await verifyPackage(p('providerA.zip'), { trustAnchors: [pem('root')], signers: bindingsFromJson({ 'API.B02': [`sha256:${hash('providerA')}`] }), resourceId: 'API.B02' });
    expect(codes(v)).toEqual([PackageErrorCode.PART_MISMATCH]);
    expect(v.keepable).toBe(false);
  }, TIMEOUT);

  it('package:verify: verdict and exit code per the contract (verified 0, refused 1), the binding from --signers or the app', () => {
    const good = run([p('providerA.zip'), '--trust', p('root.pem'), '--signers', signersFile('a.json', { 'API.A01': [`sha256:${hash('providerA')}`] }), '--resource', 'API.A01']);
    expect(good.status).toBe(0);
    expect(good.json).toMatchObject({ verdict: 'verified', ok: true });
    // The name shown comes from what the provider signed (the binding from --signers names none).
    expect(good.json.providers[0]).toMatchObject({ status: 'verified', certificate_sha256: hash('providerA'), dataset: { zh: '戶籍', en: 'Household' } });
    const forged = run([p('providerB.zip'), '--trust', p('root.pem'), '--chain', p('int.pem'), '--signers', p('a.json'), '--resource', 'API.A01']);
    expect(forged.status).toBe(1);
    expect(forged.json).toMatchObject({ verdict: 'refused', ok: false, error: { code: PackageErrorCode.SIGNER_NOT_BOUND } });
    // Without --signers the app's own bindings apply: no real dataset has a known signer; names come from the app, not the file.
    const official = run([p('providerA.zip'), '--trust', p('root.pem'), '--resource', 'API.7QovE2Gev6']);
    expect(official.status).toBe(1);
    expect(official.json.verdict).toBe('refused');
    expect(official.json.providers[0].dataset).toEqual({ zh: '個人戶籍資料', en: 'Personal household registration' });
    expect(official.json.providers[0].errors.map((e: { code: string }) => e.code)).toContain(PackageErrorCode.SIGNER_UNKNOWN);
    const badSigners = run([p('providerA.zip'), '--signers', signersFile('bad.json', { 'API.A01': ['CN=not an identity'] })]);
    expect(badSigners.status).toBe(2);
  }, TIMEOUT);
});
