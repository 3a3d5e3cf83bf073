// The data itself (G9): what the signed content says of the transaction and the subject, checked against the consent and the verified identity; names from the catalogue or signed content only.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCertificatePolicy } from '../../../electron/core/package/certificate.ts';
import { signerMatches } from '../../../electron/core/package/signers.ts';
import { providerSignerIdentity, SandboxKeys } from '../../../electron/sandbox/keys.ts';
import { PackageErrorCode, verifyPackage, type PackageVerdict } from '../../../electron/core/package/index.ts';
import { sameSubject } from '../../../electron/core/package/claims.ts';
import { buildPackage, buildPart, enc, makeCa, makeSigner, sha256, type Ca, type Signer } from './fixtures.ts';

let ca: Ca;
let signer: Signer;
beforeAll(async () => {
  ca = await makeCa('Data Test CA');
  signer = await makeSigner(ca, 'Household Office');
});

const household = (over: Record<string, unknown> = {}) =>
  enc(JSON.stringify({ dataset: { id: 'API.7QovE2Gev6', name_zh: '個人戶籍資料', name_en: 'Personal household registration' }, tx_id: 'TX-2026-0001', subject: { type: 'natural', id_masked: 'A12345****' }, data: { members: [{ name: '王小明', id: 'B223456789' }] }, ...over }));

const signers = () =>
  new Map([['API.7QovE2Gev6', { dataset: { zh: '個人戶籍資料', en: 'Personal household registration' }, provider: { zh: '內政部戶政司', en: 'Department of Household Registration' }, signers: [`sha256:${sha256(signer.der)}`] }]]);

async function verify(json: Uint8Array, expect_: { txId?: string; subjectIds?: string[] }, resourceName = '個人戶籍資料'): Promise<PackageVerdict> {
  const part = await buildPart({ files: [{ name: 'household.json', bytes: json }], signer });
  const pkg = await buildPackage([{ resource_id: 'API.7QovE2Gev6', resource_name: resourceName, bytes: part }]);
  return verifyPackage(pkg, { trustAnchors: [ca.pem], signers: signers(), expect: expect_ });
}
const codes = (v: PackageVerdict) => v.providers.flatMap((p) => p.errors.map((e) => e.code));

describe('the signed content against the consent and the verified identity', () => {
  it('this person, this transaction: verified; names come from the catalogue, never the outer manifest', async () => {
    const v = await verify(household(), { txId: 'TX-2026-0001', subjectIds: ['A12345****'] });
    expect(v.ok).toBe(true);
    expect(v.providers[0]!.dataset).toEqual({ zh: '個人戶籍資料', en: 'Personal household registration' });
    expect(v.providers[0]!.provider).toEqual({ zh: '內政部戶政司', en: 'Department of Household Registration' });
    // A family member's ID inside the rows is data, not the subject: it does not count against the person.
    expect(codes(v)).toEqual([]);
  });

  it("another person's package is refused as such (masked or full ID, natural person or 統一編號)", async () => {
    const v = await verify(household({ subject: { id_masked: 'B98765****' } }), { subjectIds: ['A12345****'] });
    expect(codes(v)).toEqual([PackageErrorCode.SUBJECT_MISMATCH]);
    expect([v.ok, v.storable, v.keepable]).toEqual([false, false, false]);
    // The message shows no more of the other person's ID than a masked form.
    expect(JSON.stringify(v)).not.toContain('B987654321');
    const full = await verify(household({ subject: { national_id: 'B987654321' } }), { subjectIds: ['A123456789'] });
    expect(codes(full)).toEqual([PackageErrorCode.SUBJECT_MISMATCH]);
    expect(JSON.stringify(full.providers[0]!.errors)).not.toContain('B987654321');
    const company = await verify(household({ subject: { type: 'legal', ban: '22099131' } }), { subjectIds: ['1234****'] });
    expect(codes(company)).toEqual([PackageErrorCode.SUBJECT_MISMATCH]);
    expect((await verify(household({ subject: { type: 'legal', ban: '22099131' } }), { subjectIds: ['2209****'] })).ok).toBe(true);
  });

  it('a package for another transaction is not filed under this one', async () => {
    const v = await verify(household({ tx_id: 'TX-OTHER' }), { txId: 'TX-2026-0001' });
    expect(codes(v)).toEqual([PackageErrorCode.TRANSACTION_MISMATCH]);
    expect(v.storable).toBe(false);
    // Without an expected transaction (an import of a file), the claim is not a failure.
    expect((await verify(household({ tx_id: 'TX-OTHER' }), {})).ok).toBe(true);
  });

  it('the outer manifest naming the dataset otherwise than the signed content is an error', async () => {
    const v = await verify(household(), {}, '健保資料');
    expect(codes(v)).toEqual([PackageErrorCode.PART_MISMATCH]);
    expect(v.providers[0]!.resource_name).toBe('個人戶籍資料');
    expect(JSON.stringify(v.providers[0]!.dataset)).not.toContain('健保');
  });

  it('identifiers are compared where both show a character; lengths must agree', () => {
    expect(sameSubject('A12345****', 'A123456789')).toBe(true);
    expect(sameSubject('a123456789', 'A123456789')).toBe(true);
    expect(sameSubject('A12345****', 'A223456789')).toBe(false);
    expect(sameSubject('A12345****', 'A12345678')).toBe(false);
    expect(sameSubject('2209****', '22099131')).toBe(true);
  });
});

describe('the demo profile binding', () => {
  it("the sandbox catalogue's signer identity names exactly the certificate the sandbox issues that provider", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-keys-'));
    try {
      await loadCertificatePolicy();
      const keys = await SandboxKeys.open(dir);
      const cert = new X509Certificate((await keys.providerSigner('moi-dhr', '內政部戶政司')).certificateDer);
      expect(signerMatches(cert, providerSignerIdentity('moi-dhr', '內政部戶政司'))).toBe(true);
      // Another sandbox provider's identity does not name it, though both share O=MyData Desktop Sandbox and the CA.
      expect(signerMatches(cert, providerSignerIdentity('mohw-nhia', '衛生福利部中央健康保險署'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
