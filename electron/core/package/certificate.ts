// Provider certificates and signatures: RSA-SHA256 over manifest.xml, the signer policy, and the full path through intermediates to the profile's trust anchors at a given time (G4, G9).
import { constants, verify, X509Certificate } from 'node:crypto';
import { PackageErrorCode } from './errors.ts';

/** `untrusted-issuer`: the signature and digests may hold, but no path leads to a trust anchor. */
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
  /** The named failure when the verdict is not `trusted`. */
  code: PackageErrorCode | null;
  /** Why the verdict is not `trusted`, for messages. */
  detail: string;
  /** The path found, signer first, anchor last (subjects, one line each); empty when none was. */
  path: string[];
}

/** Anchors are trusted; intermediates only help build a path to one and are never trusted on their own. */
export interface TrustStore {
  anchors: readonly X509Certificate[];
  intermediates: readonly X509Certificate[];
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

/** Certificates from PEM texts (each may hold several): trust anchors or intermediates. */
export function parseTrustAnchors(pems: readonly string[]): X509Certificate[] {
  const anchors: X509Certificate[] = [];
  for (const pem of pems) {
    const blocks = pem.match(PEM_BLOCK);
    if (blocks === null) throw new Error('a certificate file holds no PEM certificate');
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

// ---------------------------------------------------------------------------------------------
// Policy facts Node's X509Certificate does not expose (keyUsage bits, pathLenConstraint, the signature algorithm).

type X509Lib = typeof import('@peculiar/x509');
let x509: X509Lib | null = null;

/** @peculiar/x509 (with its reflect polyfill) costs ~0.3 s to load; verification loads it once, on first use. */
export async function loadCertificatePolicy(): Promise<void> {
  if (x509 !== null) return;
  await import('reflect-metadata');
  x509 = await import('@peculiar/x509');
}

/** The loaded @peculiar/x509 (after loadCertificatePolicy()). */
export function policyLib(): X509Lib {
  if (x509 === null) throw new Error('loadCertificatePolicy() was not awaited');
  return x509;
}

/** Signature algorithms accepted on a certificate: SHA-2 RSA and ECDSA. SHA-1, MD5, MD2 and anything unknown are refused. */
const STRONG_SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
};
const WEAK_SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
};
const MIN_RSA_BITS = 2048;

interface Facts {
  signatureOid: string;
  /** keyUsage bits, null when the certificate has no keyUsage extension. */
  keyUsage: number | null;
  /** pathLenConstraint, null when absent (unlimited). */
  pathLength: number | null;
}

const facts = new WeakMap<X509Certificate, Facts>();

/** DER: the (tag, start of content, end) of the element at `at`. */
function tlv(der: Uint8Array, at: number): { tag: number; start: number; end: number } {
  const tag = der[at] ?? -1;
  let len = der[at + 1] ?? 0;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i += 1) len = len * 256 + (der[start + i] ?? 0);
    start += n;
  }
  if (start + len > der.length) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

/** The outer signatureAlgorithm OID of a certificate (Certificate ::= SEQUENCE { tbs, signatureAlgorithm, signature }). */
export function signatureAlgorithmOid(der: Uint8Array): string {
  const certificate = tlv(der, 0);
  const tbs = tlv(der, certificate.start);
  const algorithm = tlv(der, tbs.end);
  const oid = tlv(der, algorithm.start);
  if (certificate.tag !== 0x30 || tbs.tag !== 0x30 || algorithm.tag !== 0x30 || oid.tag !== 0x06) throw new Error('not an X.509 certificate');
  const bytes = der.subarray(oid.start, oid.end);
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function factsOf(cert: X509Certificate): Facts {
  let known = facts.get(cert);
  if (known === undefined) {
    const l = policyLib();
    const parsed = new l.X509Certificate(new Uint8Array(cert.raw));
    const usage = parsed.getExtension(l.KeyUsagesExtension);
    const basic = parsed.getExtension(l.BasicConstraintsExtension);
    known = {
      signatureOid: signatureAlgorithmOid(new Uint8Array(cert.raw)),
      keyUsage: usage === null ? null : usage.usages,
      pathLength: basic?.pathLength ?? null,
    };
    facts.set(cert, known);
  }
  return known;
}

const KEY_USAGE = { digitalSignature: 1, nonRepudiation: 2, keyCertSign: 32 } as const;

/** A certificate's own key and signature algorithm: RSA of at least 2048 bits (for a signer), a SHA-2 signature. */
function weakness(cert: X509Certificate, role: string): { code: PackageErrorCode; detail: string } | null {
  const key = cert.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType === 'rsa' && (bits === undefined || bits < MIN_RSA_BITS)) {
    return { code: PackageErrorCode.CERTIFICATE_WEAK_KEY, detail: `${role} ${distinguishedName(cert.subject)}: RSA ${bits ?? '?'} bits, at least ${MIN_RSA_BITS} required` };
  }
  const oid = factsOf(cert).signatureOid;
  if (STRONG_SIGNATURES[oid] === undefined) {
    return { code: PackageErrorCode.CERTIFICATE_WEAK_ALGORITHM, detail: `${role} ${distinguishedName(cert.subject)}: signed with ${WEAK_SIGNATURES[oid] ?? oid}` };
  }
  return null;
}

function fail(cert: X509Certificate, code: PackageErrorCode, detail: string): CertificateCheck {
  const verdict: CertificateVerdict =
    code === PackageErrorCode.CERTIFICATE_EXPIRED || code === PackageErrorCode.CHAIN_EXPIRED ? 'expired' : code === PackageErrorCode.CERTIFICATE_UNTRUSTED ? 'untrusted-issuer' : 'invalid';
  return { verdict, info: certificateInfo(cert), code, detail, path: [] };
}

/**
 * Checks a provider's signing certificate against the signer policy, then builds a path through the given
 * intermediates to an anchor: every certificate on it valid at `at`, each issuer a CA within its pathLenConstraint
 * whose key signed the certificate below it. Call loadCertificatePolicy() first.
 */
export function checkCertificate(cert: X509Certificate, store: TrustStore, at: Date): CertificateCheck {
  try {
    return evaluate(cert, store, at);
  } catch (error) {
    // OpenSSL parses some damaged certificates lazily: an unreadable key or date surfaces only here.
    return { verdict: 'invalid', info: null, code: PackageErrorCode.CERTIFICATE_INVALID, detail: error instanceof Error ? error.message : 'unreadable certificate', path: [] };
  }
}

function evaluate(cert: X509Certificate, store: TrustStore, at: Date): CertificateCheck {
  const info = certificateInfo(cert);
  if (store.anchors.some((anchor) => anchor.fingerprint256 === cert.fingerprint256)) {
    return fail(cert, PackageErrorCode.CERTIFICATE_IS_ANCHOR, info.subject);
  }
  if (cert.ca) return fail(cert, PackageErrorCode.CERTIFICATE_IS_CA, info.subject);
  const usage = factsOf(cert).keyUsage;
  if (usage !== null && (usage & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)) === 0) {
    return fail(cert, PackageErrorCode.CERTIFICATE_KEY_USAGE, info.subject);
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa') return fail(cert, PackageErrorCode.CERTIFICATE_WEAK_KEY, `${info.subject}: not an RSA key (the manifest signature is SHA256withRSA)`);
  const weak = weakness(cert, 'signer');
  if (weak !== null) return fail(cert, weak.code, weak.detail);
  if (!within(cert, at)) return fail(cert, PackageErrorCode.CERTIFICATE_EXPIRED, `valid ${info.notBefore} – ${info.notAfter}, checked at ${at.toISOString()}`);

  const search = new PathSearch(store, at);
  const found = search.from(cert, [cert]);
  if (found !== null) return { verdict: 'trusted', info, code: null, detail: '', path: found.map((c) => distinguishedName(c.subject)) };
  if (search.failure !== null) return fail(cert, search.failure.code, search.failure.detail);
  return fail(cert, PackageErrorCode.CERTIFICATE_UNTRUSTED, info.issuer);
}

/** Paths longer than this are not followed (GCA's real paths have one intermediate). */
const MAX_PATH = 6;

class PathSearch {
  failure: { code: PackageErrorCode; detail: string } | null = null;
  readonly #store: TrustStore;
  readonly #at: Date;

  constructor(store: TrustStore, at: Date) {
    this.#store = store;
    this.#at = at;
  }

  #note(code: PackageErrorCode, detail: string): null {
    this.failure ??= { code, detail };
    return null;
  }

  /** Issuers of `below` (by name, then by its signature), anchors first; returns the path signer → anchor, or null. */
  from(below: X509Certificate, path: X509Certificate[]): X509Certificate[] | null {
    if (path.length > MAX_PATH) return this.#note(PackageErrorCode.CHAIN_PATH_LENGTH, `more than ${MAX_PATH} certificates`);
    // By name, not by checkIssued(): that also matches key identifiers, and a forgery would then look merely unknown.
    const named = (list: readonly X509Certificate[]) => list.filter((c) => c.subject === below.issuer && !path.some((p) => p.fingerprint256 === c.fingerprint256));
    const anchors = named(this.#store.anchors);
    const intermediates = named(this.#store.intermediates).filter((c) => !this.#store.anchors.some((a) => a.fingerprint256 === c.fingerprint256));
    let signedBySomeone = false;
    // Intermediates strictly between the signer and this issuer: the count its pathLenConstraint limits.
    const between = path.length - 1;
    for (const anchor of anchors) {
      if (!below.verify(anchor.publicKey)) continue;
      signedBySomeone = true;
      if (!anchor.ca) return this.#note(PackageErrorCode.CHAIN_NOT_CA, `trust anchor ${distinguishedName(anchor.subject)} is not a certificate authority`);
      if (!within(anchor, this.#at)) return this.#note(PackageErrorCode.CHAIN_EXPIRED, `trust anchor ${distinguishedName(anchor.subject)} is outside its validity period`);
      const limit = factsOf(anchor).pathLength;
      if (limit !== null && between > limit) return this.#note(PackageErrorCode.CHAIN_PATH_LENGTH, `${distinguishedName(anchor.subject)} allows ${limit} intermediate(s) below it, the path has ${between}`);
      return [...path, anchor];
    }
    for (const issuer of intermediates) {
      if (!below.verify(issuer.publicKey)) continue;
      signedBySomeone = true;
      const name = distinguishedName(issuer.subject);
      if (!issuer.ca) {
        this.#note(PackageErrorCode.CHAIN_NOT_CA, `intermediate ${name} is not a certificate authority`);
        continue;
      }
      const usage = factsOf(issuer).keyUsage;
      if (usage !== null && (usage & KEY_USAGE.keyCertSign) === 0) {
        this.#note(PackageErrorCode.CHAIN_NOT_CA, `intermediate ${name} may not sign certificates (keyUsage)`);
        continue;
      }
      if (!within(issuer, this.#at)) {
        this.#note(PackageErrorCode.CHAIN_EXPIRED, `intermediate ${name} is outside its validity period`);
        continue;
      }
      const limit = factsOf(issuer).pathLength;
      if (limit !== null && between > limit) {
        this.#note(PackageErrorCode.CHAIN_PATH_LENGTH, `${name} allows ${limit} intermediate(s) below it, the path has ${between}`);
        continue;
      }
      const weak = weakness(issuer, 'intermediate');
      if (weak !== null) {
        this.#note(weak.code, weak.detail);
        continue;
      }
      const found = this.from(issuer, [...path, issuer]);
      if (found !== null) return found;
    }
    if (!signedBySomeone && anchors.length + intermediates.length > 0) {
      // Claims a known CA as issuer, but that CA's key did not sign it: a forgery, not an unknown issuer.
      return this.#note(PackageErrorCode.CERTIFICATE_INVALID, `not signed by the certificate authority it names (${distinguishedName(below.issuer)})`);
    }
    return null;
  }
}
