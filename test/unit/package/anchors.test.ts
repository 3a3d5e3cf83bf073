// The official profile's anchors (G4, G9): GRCA G3 shipped with its hash checked, real certificates from public sources checked against it with openssl, and the sandbox CA never among them.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCertificate, loadCertificatePolicy, parseTrustAnchors } from '../../../electron/core/package/certificate.ts';
import { PackageErrorCode } from '../../../electron/core/package/errors.ts';
import { rfc4514Subject, signerMatches } from '../../../electron/core/package/signers.ts';
import { GRCA_G3_SHA256, officialTrust } from '../../../electron/core/package/trust.ts';
import { datasetRegistry } from '../../../electron/core/datasets/registry.ts';

const root = resolve(import.meta.dirname, '../../..');
const grcaPath = join(root, 'resources/trust/grca-g3.cer');
// Public copies (see resources/trust/SOURCES.md): MOICA G3 from bonds-tw/backupTW-iOS, the MyData platform's own
// 2020 GCA-issued certificate from jennyming622/mydata-master (src/main/java/mydataap3.cer).
const moicaPath = join(root, 'test/fixtures/trust/moica-g3.cer');
const platformPath = join(root, 'test/fixtures/trust/mydata-platform-2020.cer');
const haveOpenssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

describe('GRCA G3, the anchor of real packages', () => {
  it('is shipped with the SHA-256 GRCA publishes', () => {
    expect(GRCA_G3_SHA256).toBe('57df6f20e04c588e85f35be8832f5d4e78958336ae3b18fb7c9bae0dfead4044');
    expect(createHash('sha256').update(readFileSync(grcaPath)).digest('hex')).toBe(GRCA_G3_SHA256);
    const [anchor, ...rest] = parseTrustAnchors(officialTrust().anchors);
    expect(rest).toEqual([]);
    expect(anchor!.subject).toContain('CN=Government Root Certification Authority - G3');
    expect(anchor!.ca).toBe(true);
    // The sandbox's CA is never an anchor of the official profile.
    expect(officialTrust().anchors.join('')).not.toContain('Sandbox');
  });

  it('a different file in its place is refused, not used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    try {
      cpSync(join(root, 'resources/trust'), dir, { recursive: true });
      const bytes = readFileSync(join(dir, 'grca-g3.cer'));
      bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
      writeFileSync(join(dir, 'grca-g3.cer'), bytes);
      expect(() => officialTrust(dir)).toThrow(/not GRCA G3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!haveOpenssl)('a real GRCA G3 subordinate (MOICA G3) verifies against it with openssl and with the app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    try {
      execFileSync('openssl', ['x509', '-inform', 'DER', '-in', grcaPath, '-out', join(dir, 'grca.pem')]);
      execFileSync('openssl', ['x509', '-inform', 'DER', '-in', moicaPath, '-out', join(dir, 'moica.pem')]);
      expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'grca.pem'), join(dir, 'moica.pem')], { encoding: 'utf8' })).toMatch(/OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const grca = new X509Certificate(readFileSync(grcaPath));
    const moica = new X509Certificate(readFileSync(moicaPath));
    expect(moica.verify(grca.publicKey)).toBe(true);
    expect(moica.ca).toBe(true);
  });

  it('real bindings: every real dataset is listed with its provider and no known signer', () => {
    const { signers, intermediates } = officialTrust();
    expect(intermediates).toEqual([]);
    expect([...signers.keys()].every((id) => /^API\.[A-Za-z0-9]{10}$/.test(id))).toBe(true);
    expect(signers.get('API.zH584wn59r')).toMatchObject({ provider: { zh: '衛生福利部中央健康保險署' }, signers: [] });
  });

  it("real bindings take each dataset's and provider's names from the dataset registry, and refuse an id it does not know", () => {
    const { signers } = officialTrust();
    for (const [id, binding] of signers) {
      const entry = datasetRegistry().get(id);
      expect(binding.dataset, id).toEqual({ zh: entry?.name_zh, en: entry?.name_en });
      expect(binding.provider, id).toEqual(entry?.provider);
    }
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    try {
      cpSync(join(root, 'resources/trust'), dir, { recursive: true });
      const file = join(dir, 'official-signers.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), 'API.Zz00000000': [] }));
      expect(() => officialTrust(dir)).toThrow(/API\.Zz00000000, which the dataset registry does not know/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the platform's own GCA-issued certificate: no path to GRCA G3 without a GCA intermediate; its full subject binds it", async () => {
    await loadCertificatePolicy();
    const cert = new X509Certificate(readFileSync(platformPath));
    const store = { anchors: parseTrustAnchors(officialTrust().anchors), intermediates: [] };
    const check = checkCertificate(cert, store, new Date('2021-06-01T00:00:00Z'));
    expect(check.code).toBe(PackageErrorCode.CERTIFICATE_UNTRUSTED);
    expect(check.verdict).toBe('untrusted-issuer');
    expect(rfc4514Subject(cert)).toBe('serialNumber=0000000010067279,CN=數位服務個人化(MyData)平臺,OU=國家發展委員會,O=行政院,C=TW');
    expect(signerMatches(cert, 'DN=serialNumber=0000000010067279,CN=數位服務個人化(MyData)平臺,OU=國家發展委員會,O=行政院,C=TW')).toBe(true);
    expect(signerMatches(cert, 'DN=SERIALNUMBER=0000000010067279, CN=數位服務個人化(MyData)平臺, OU=國家發展委員會, O=行政院, C=TW')).toBe(true);
    expect(signerMatches(cert, 'DN=CN=數位服務個人化(MyData)平臺,OU=國家發展委員會,O=行政院,C=TW')).toBe(false);
    expect(signerMatches(cert, `sha256:${createHash('sha256').update(cert.raw).digest('hex')}`)).toBe(true);
    // O=行政院 is shared by many agencies under GCA: an O= binding would accept all of them, which is why real bindings avoid it.
    expect(signerMatches(cert, 'O=行政院')).toBe(true);
  });
});
