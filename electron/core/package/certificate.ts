// Provider certificates and signatures: RSA-SHA256 over manifest.xml, the chain to the profile's trust anchors, and validity at a given time (G4, G9).
import { constants, verify, X509Certificate } from 'node:crypto';

/** `untrusted-issuer` is not a failure: the signature and digests hold, only the issuing CA is unknown to the app. */
export type CertificateVerdict = 'trusted' | 'untrusted-issuer' | 'expired' | 'invalid';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 fingerprint, colon-separated hex as Node prints it. */
  fingerprint256: string;
}

export interface CertificateCheck {
  verdict: CertificateVerdict;
  info: CertificateInfo | null;
  /** Why the verdict is not `trusted`, for messages. */
  detail: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** certificate.cer is DER; PEM is accepted too. Throws on anything that is not one X.509 certificate. */
export function parseCertificate(bytes: Uint8Array): X509Certificate {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  if (head.includes('-----BEGIN')) {
    const blocks = new TextDecoder('utf-8').decode(bytes).match(PEM_BLOCK) ?? [];
    const [block] = blocks;
    if (blocks.length !== 1 || block === undefined) throw new Error(`expected one PEM certificate, found ${blocks.length}`);
    return new X509Certificate(block);
  }
  return new X509Certificate(bytes);
}

/** Trust anchors from PEM texts (each may hold several certificates). */
export function parseTrustAnchors(pems: readonly string[]): X509Certificate[] {
  const anchors: X509Certificate[] = [];
  for (const pem of pems) {
    const blocks = pem.match(PEM_BLOCK);
    if (blocks === null) throw new Error('a trust anchor file holds no PEM certificate');
    for (const block of blocks) anchors.push(new X509Certificate(block));
  }
  return anchors;
}

/**
 * A distinguished name on one line, as people read it: Node gives one attribute per line ("C=TW\nO=…\nCN=…"),
 * whose line breaks every screen and message would otherwise show as replacement characters.
 */
export function distinguishedName(dn: string): string {
  return dn
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(', ');
}

export function certificateInfo(cert: X509Certificate): CertificateInfo {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    serialNumber: cert.serialNumber,
    notBefore: cert.validFromDate.toISOString(),
    notAfter: cert.validToDate.toISOString(),
    fingerprint256: cert.fingerprint256,
  };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the exact bytes of manifest.xml, with the certificate's RSA key. */
export function verifyManifestSignature(manifest: Uint8Array, signature: Uint8Array, cert: X509Certificate): boolean {
  try {
    const key = cert.publicKey;
    if (key.asymmetricKeyType !== 'rsa') return false;
    return verify('sha256', manifest, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    // A malformed signature (wrong length) or an unreadable key is simply not valid.
    return false;
  }
}

function within(cert: X509Certificate, at: Date): boolean {
  return cert.validFromDate.getTime() <= at.getTime() && at.getTime() <= cert.validToDate.getTime();
}

/**
 * The certificate against the anchors at time `at`. A chain is leaf → anchor (the anchors may be roots or the
 * intermediate CAs a profile publishes); a leaf that is itself an anchor is trusted directly.
 */
export function checkCertificate(cert: X509Certificate, anchors: readonly X509Certificate[], at: Date): CertificateCheck {
  try {
    return evaluate(cert, anchors, at);
  } catch (error) {
    // OpenSSL parses some damaged certificates lazily: an unreadable key or date surfaces only here.
    return { verdict: 'invalid', info: null, detail: error instanceof Error ? error.message : 'unreadable certificate' };
  }
}

function evaluate(cert: X509Certificate, anchors: readonly X509Certificate[], at: Date): CertificateCheck {
  const info = certificateInfo(cert);
  if (!within(cert, at)) {
    return { verdict: 'expired', info, detail: `valid ${info.notBefore} – ${info.notAfter}, checked at ${at.toISOString()}` };
  }
  if (anchors.some((anchor) => anchor.fingerprint256 === cert.fingerprint256)) return { verdict: 'trusted', info, detail: '' };
  // By name, not by checkIssued(): that also matches key identifiers, and a forgery would then look merely unknown.
  const namedIssuers = anchors.filter((anchor) => anchor.subject === cert.issuer || cert.checkIssued(anchor));
  for (const anchor of namedIssuers) {
    if (!cert.verify(anchor.publicKey)) continue;
    if (!anchor.ca) return { verdict: 'invalid', info, detail: `issuer ${distinguishedName(anchor.subject)} is not a certificate authority` };
    if (!within(anchor, at)) return { verdict: 'expired', info, detail: `issuing CA ${distinguishedName(anchor.subject)} is outside its validity period` };
    return { verdict: 'trusted', info, detail: '' };
  }
  if (namedIssuers.length > 0) {
    // Claims a known CA as issuer, but that CA's key did not sign it: a forgery, not an unknown issuer.
    return { verdict: 'invalid', info, detail: `not signed by the trust anchor it names (${distinguishedName(cert.issuer)})` };
  }
  return { verdict: 'untrusted-issuer', info, detail: distinguishedName(cert.issuer) };
}
