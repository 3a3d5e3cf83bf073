// Verification of well-formed and tampered packages (G4, G9): signature, chain, validity, digests, missing and extra files.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage, verifyThenRead, PackageErrorCode, type PackageVerdict } from '../../../electron/core/package/index.ts';
import { bindings, buildPackage, buildPart, buildZip, enc, makeCa, makeSigner, recordingSink, sha256, type Ca, type DataFile, type Signer } from './fixtures.ts';

let ca: Ca;
let otherCa: Ca;
let signer: Signer;
let signerB: Signer;
const files: DataFile[] = [
  { name: 'data.json', bytes: enc(JSON.stringify({ name: '王小明', items: [1, 2, 3] })) },
  { name: 'report.pdf', bytes: enc('%PDF-1.7\n' + 'x'.repeat(5000)) },
];
const filesB: DataFile[] = [{ name: 'records/tax.csv', bytes: enc('year,amount\n2024,1000\n') }];

beforeAll(async () => {
  ca = await makeCa('Sandbox Test CA');
  otherCa = await makeCa('Some Other CA');
  signer = await makeSigner(ca, 'Provider A');
  signerB = await makeSigner(ca, 'Provider B');
});

/** Every test signer carries O=MyData Test: bound by organisation here; the binding tests bind by hash and subject. */
const T = { signers: bindings({ A: ['O=MyData Test'], 'API.A01': ['O=MyData Test'], 'API.B02': ['O=MyData Test'] }), resourceId: 'A' };
const codes = (v: PackageVerdict) => v.providers.flatMap((p) => p.errors.map((e) => e.code));

describe('a well-formed package', () => {
  it('verifies every provider: signature, trusted chain, digests', async () => {
    const pkg = await buildPackage([
      { resource_id: 'API.A01', bytes: await buildPart({ files, signer }) },
      { resource_id: 'API.B02', bytes: await buildPart({ files: filesB, signer: signerB, certificateFormat: 'pem' }) },
    ]);
    const v = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem] });
    expect(v.kind).toBe('package');
    expect(v.ok).toBe(true);
    expect(v.storable).toBe(true);
    expect(v.error).toBeNull();
    expect(v.providers.map((p) => [p.resource_id, p.status, p.signature, p.certificate])).toEqual([
      ['API.A01', 'verified', 'valid', 'trusted'],
      ['API.B02', 'verified', 'valid', 'trusted'],
    ]);
    expect(v.providers[0]!.files).toEqual(files.map((f) => ({ filename: f.name, digest: sha256(f.bytes), size: f.bytes.length, verified: true })));
    expect(v.providers[0]!.certificate_info?.subject).toContain('Provider A');
  });

  it('accepts a single provider part given alone, and stored (uncompressed) parts', async () => {
    const part = await buildPart({ files, signer, level: 0 });
    const v = await verifyPackage(part, { ...T, trustAnchors: [ca.pem], resourceId: 'API.A01' });
    expect(v.kind).toBe('part');
    expect(v.ok).toBe(true);
    expect(v.providers[0]!.resource_id).toBe('API.A01');
    const stored = await buildPackage([{ resource_id: 'API.A01', bytes: part }], { level: 0 });
    expect((await verifyPackage(stored, { ...T, trustAnchors: [ca.pem] })).ok).toBe(true);
  });

  it('a compressed or encrypted part verifies the same buffered in memory or re-streamed', async () => {
    const part = await buildPart({ files, signer });
    for (const password of [undefined, 'A123456789']) {
      const pkg = await buildPackage([{ resource_id: 'API.A01', bytes: part }], password === undefined ? {} : { password });
      const buffered = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem], password });
      const streamed = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem], password, limits: { maxBufferedPartBytes: 0, nestedTailBytes: 128 } });
      expect(buffered.ok).toBe(true);
      expect(streamed.providers).toEqual(buffered.providers);
    }
  });

  it('streams each verified data file to the sink and closes it', async () => {
    const pkg = await buildPackage([{ resource_id: 'API.A01', bytes: await buildPart({ files, signer }) }]);
    const rec = recordingSink();
    const v = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem], sink: rec.sink });
    expect(v.ok).toBe(true);
    expect([...rec.closed.keys()]).toEqual(['data.json', 'report.pdf']);
    expect(Buffer.from(rec.closed.get('data.json')!).equals(Buffer.from(files[0]!.bytes))).toBe(true);
    expect(rec.aborted).toEqual([]);
  });

  it('verifyThenRead hands the sink nothing when the first pass is not storable', async () => {
    const bad = await buildPackage([{ resource_id: 'API.A01', bytes: await buildPart({ files, signer, tamper: { 'data.json': enc('{}') } }) }]);
    const rec = recordingSink();
    const v = await verifyThenRead(bad, { ...T, trustAnchors: [ca.pem], sink: rec.sink });
    expect(v.storable).toBe(false);
    expect(rec.opened).toEqual([]);
    const good = await buildPackage([{ resource_id: 'API.A01', bytes: await buildPart({ files, signer }) }]);
    const rec2 = recordingSink();
    expect((await verifyThenRead(good, { ...T, trustAnchors: [ca.pem], sink: rec2.sink })).ok).toBe(true);
    expect(rec2.closed.size).toBe(2);
  });
});

describe('verification failures are kept per provider', () => {
  it('bad signature: manifest changed after signing', async () => {
    const manifest = `<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file>\n    <filename>data.json</filename>\n    <digest>${sha256(files[0]!.bytes)}</digest>\n  </file>\n  <file>\n    <filename>report.pdf</filename>\n    <digest>${sha256(files[1]!.bytes)}</digest>\n  </file>\n</files>\n `;
    const pkg = await buildPackage([{ resource_id: 'A', bytes: await buildPart({ files, signer, manifestAfterSigning: manifest }) }]);
    const v = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem] });
    expect(v.ok).toBe(false);
    expect(v.storable).toBe(false);
    expect(v.providers[0]!.signature).toBe('invalid');
    expect(v.providers[0]!.status).toBe('failed');
    expect(codes(v)).toEqual([PackageErrorCode.SIGNATURE_INVALID]);
    expect(v.error?.code).toBe(PackageErrorCode.SIGNATURE_INVALID);
  });

  it('a signature made by another key than the certificate’s', async () => {
    const impostor = await makeSigner(ca, 'Impostor');
    const part = await buildPart({ files, signer: { ...signer, key: impostor.key } });
    const v = await verifyPackage(part, { ...T, trustAnchors: [ca.pem] });
    expect(v.providers[0]!.signature).toBe('invalid');
    expect(codes(v)).toContain(PackageErrorCode.SIGNATURE_INVALID);
  });

  it('certificate from another CA: signature and digests valid, issuer not recognised — distinct, storable, not ok', async () => {
    const foreign = await makeSigner(otherCa, 'Real Provider');
    const pkg = await buildPackage([{ resource_id: 'A', bytes: await buildPart({ files, signer: foreign }) }]);
    const v = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem] });
    expect(v.providers[0]!.status).toBe('issuer-not-recognised');
    expect(v.providers[0]!.signature).toBe('valid');
    expect(v.providers[0]!.certificate).toBe('untrusted-issuer');
    expect(v.providers[0]!.files.every((f) => f.verified)).toBe(true);
    expect(codes(v)).toEqual([PackageErrorCode.CERTIFICATE_UNTRUSTED]);
    // The unknown issuer is named on one line, in the verdict and in the message (no line breaks turned into U+FFFD).
    expect(v.providers[0]!.certificate_info?.issuer).toBe('CN=Some Other CA, O=MyData Test, C=TW');
    expect(v.providers[0]!.certificate_info?.subject).toMatch(/^[^\n]*CN=Real Provider[^\n]*$/);
    const message = v.providers[0]!.errors[0]!;
    expect(`${message.message_zh} ${message.message_en}`).toContain('CN=Some Other CA, O=MyData Test, C=TW');
    expect(`${message.message_zh} ${message.message_en}`).not.toContain('\uFFFD');
    expect(v.ok).toBe(false);
    // Intact but not verified: kept only when the person asks.
    expect(v.storable).toBe(false);
    expect(v.keepable).toBe(true);
    expect((await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem], keepUnverified: true })).storable).toBe(true);
    // The same package chains once its CA is a trust anchor.
    expect((await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem, otherCa.pem] })).ok).toBe(true);
  });

  it('a certificate naming our CA but signed by another key is invalid, not merely unknown', async () => {
    const forged = await makeSigner(otherCa, 'Forged', { issuerName: ca.cert.subject });
    const v = await verifyPackage(await buildPart({ files, signer: forged }), { ...T, trustAnchors: [ca.pem] });
    expect(v.providers[0]!.certificate).toBe('invalid');
    expect(v.storable).toBe(false);
    expect(codes(v)).toEqual([PackageErrorCode.CERTIFICATE_INVALID]);
  });

  it('expired certificate, and validity judged at the injected time', async () => {
    const expired = await makeSigner(ca, 'Old Provider', { notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const v = await verifyPackage(await buildPart({ files, signer: expired }), { ...T, trustAnchors: [ca.pem] });
    expect(v.providers[0]!.certificate).toBe('expired');
    expect(codes(v)).toEqual([PackageErrorCode.CERTIFICATE_EXPIRED]);
    expect(v.storable).toBe(false);
    const part = await buildPart({ files, signer });
    const later = await verifyPackage(part, { ...T, trustAnchors: [ca.pem], now: () => new Date(Date.now() + 400 * 86_400_000) });
    expect(later.providers[0]!.certificate).toBe('expired');
    const earlier = await verifyPackage(part, { ...T, trustAnchors: [ca.pem], now: () => new Date(Date.now() - 2 * 86_400_000) });
    expect(earlier.providers[0]!.certificate).toBe('expired');
    expect((await verifyPackage(part, { ...T, trustAnchors: [ca.pem], now: () => new Date() })).ok).toBe(true);
  });

  it('digest mismatch: the sink’s stream for that file is aborted, the others closed', async () => {
    const pkg = await buildPackage([{ resource_id: 'A', bytes: await buildPart({ files, signer, tamper: { 'report.pdf': enc('%PDF-1.7\nchanged') } }) }]);
    const rec = recordingSink();
    const v = await verifyPackage(pkg, { ...T, trustAnchors: [ca.pem], sink: rec.sink });
    expect(codes(v)).toEqual([PackageErrorCode.DIGEST_MISMATCH]);
    expect(v.providers[0]!.files.find((f) => f.filename === 'report.pdf')!.verified).toBe(false);
    expect(rec.aborted).toEqual(['report.pdf']);
    expect([...rec.closed.keys()]).toEqual(['data.json']);
    expect(v.storable).toBe(false);
  });

  it('extra file and missing file', async () => {
    const extra = await verifyPackage(await buildPart({ files, signer, extra: [{ name: 'unlisted.json', bytes: enc('{}') }] }), { ...T, trustAnchors: [ca.pem] });
    expect(codes(extra)).toEqual([PackageErrorCode.EXTRA_FILE]);
    const extraMeta = await verifyPackage(await buildPart({ files, signer, extra: [{ name: 'META-INFO/notes.txt', bytes: enc('x') }] }), { ...T, trustAnchors: [ca.pem] });
    expect(codes(extraMeta)).toEqual([PackageErrorCode.EXTRA_FILE]);
    const missing = await verifyPackage(await buildPart({ files, signer, omit: ['report.pdf'] }), { ...T, trustAnchors: [ca.pem] });
    expect(codes(missing)).toEqual([PackageErrorCode.MISSING_FILE]);
    expect(missing.storable).toBe(false);
  });

  it('outer package: a part listed but absent, a dataset not delivered, an entry beside the parts', async () => {
    const part = await buildPart({ files, signer });
    const v = await verifyPackage(
      await buildPackage([{ resource_id: 'A', bytes: part }, { resource_id: 'B', code: '504' }], { extra: [{ name: 'readme.txt', bytes: enc('hi') }] }),
      { ...T, trustAnchors: [ca.pem] },
    );
    expect(v.providers.map((p) => p.status)).toEqual(['verified', 'not-delivered']);
    expect(v.providers[1]!.errors[0]!.code).toBe(PackageErrorCode.DATASET_NOT_DELIVERED);
    expect(v.errors.map((e) => e.code)).toEqual([PackageErrorCode.EXTRA_FILE]);
    expect(v.ok).toBe(false);
    const manifestOnly = await buildZip([
      { name: 'META-INFO/manifest.xml', bytes: enc('<files><file><filename>A.zip</filename><resource_id>A</resource_id><resource_name>a</resource_name><code>200</code></file></files>') },
    ]);
    const absent = await verifyPackage(manifestOnly, { ...T, trustAnchors: [ca.pem] });
    expect(absent.providers[0]!.errors[0]!.code).toBe(PackageErrorCode.PART_MISSING);
  });

  it('missing signature and certificate files', async () => {
    const manifest = `<files><file><filename>a.json</filename><digest>${sha256(enc('{}'))}</digest></file></files>`;
    const noSig = await buildZip([{ name: 'a.json', bytes: enc('{}') }, { name: 'META-INFO/manifest.xml', bytes: enc(manifest) }, { name: 'META-INFO/certificate.cer', bytes: signer.der }]);
    expect(codes(await verifyPackage(noSig, { ...T, trustAnchors: [ca.pem] }))).toContain(PackageErrorCode.SIGNATURE_MISSING);
    const noCert = await buildZip([{ name: 'a.json', bytes: enc('{}') }, { name: 'META-INFO/manifest.xml', bytes: enc(manifest) }, { name: 'META-INFO/manifest.sha256withrsa', bytes: new Uint8Array(256) }]);
    expect(codes(await verifyPackage(noCert, { ...T, trustAnchors: [ca.pem] }))).toContain(PackageErrorCode.CERTIFICATE_MISSING);
  });
});
