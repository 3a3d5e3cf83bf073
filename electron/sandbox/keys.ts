// The sandbox's key material, kept in its state folder: a CA for data providers' certificates, EC keys for IdPs, the platform and service providers.
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** @peculiar/x509 (with its reflect polyfill) costs ~0.3 s to load, and is needed only to issue certificates, so it loads on first use. */
async function x509Lib(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  const lib = await import('@peculiar/x509');
  lib.cryptoProvider.set(globalThis.crypto);
  return lib;
}

function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

const RSA_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

/** A sandbox data provider's certificate subject, attribute by attribute in DER order (most general last). */
function providerSubject(providerId: string, displayName: string): [string, string][] {
  return [['CN', `${displayName.replace(/[,=+<>#;"\\]/g, ' ')} (sandbox data provider)`], ['OU', providerId], ['O', 'MyData Desktop Sandbox'], ['C', 'TW']];
}

/**
 * The signer identity the sandbox's catalogue states for a provider (G4, G9): its full subject, RFC 4514 order (the
 * reverse of the DER order). The demo profile binds each dataset to exactly this signer.
 */
export function providerSignerIdentity(providerId: string, displayName: string): string {
  return `DN=${providerSubject(providerId, displayName).reverse().map(([k, v]) => `${k}=${v}`).join(',')}`;
}

export interface ProviderSigner {
  certificateDer: Uint8Array;
  /** RSASSA-PKCS1-v1_5 SHA-256 over the exact bytes given (what manifest.sha256withrsa holds). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Writes through a temp file and a rename, so an interrupted first start never leaves half a key behind. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, path);
}

async function readOptional(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export class SandboxKeys {
  readonly stateDir: string;
  #ca?: { der: Uint8Array<ArrayBuffer>; key: CryptoKey };
  #providers = new Map<string, Promise<ProviderSigner>>();

  private constructor(stateDir: string) {
    this.stateDir = stateDir;
  }

  static async open(stateDir: string): Promise<SandboxKeys> {
    const keys = new SandboxKeys(stateDir);
    await mkdir(join(stateDir, 'keys'), { recursive: true, mode: 0o700 });
    await keys.#loadOrCreateCa();
    return keys;
  }

  get #authority(): { der: Uint8Array<ArrayBuffer>; key: CryptoKey } {
    if (!this.#ca) throw new Error('sandbox CA not loaded');
    return this.#ca;
  }

  get caPem(): string {
    return derToPem(this.#authority.der);
  }

  async #loadOrCreateCa(): Promise<void> {
    const certPath = join(this.stateDir, 'keys', 'ca.cer');
    const keyPath = join(this.stateDir, 'keys', 'ca.key.p8');
    const [certDer, keyDer] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
    if (certDer && keyDer) {
      const key = await globalThis.crypto.subtle.importKey('pkcs8', keyDer, RSA_ALG, false, ['sign']);
      this.#ca = { der: certDer, key };
      return;
    }
    const x509 = await x509Lib();
    const pair = (await globalThis.crypto.subtle.generateKey(RSA_ALG, true, ['sign', 'verify']));
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomBytes(8).toString('hex'),
      name: 'CN=MyData Sandbox Root CA, O=MyData Desktop Sandbox, C=TW',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 10 * 365 * 86_400_000),
      keys: pair,
      signingAlgorithm: RSA_ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(pair.publicKey),
      ],
    });
    const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey));
    await writeAtomic(keyPath, pkcs8);
    const der = new Uint8Array(cert.rawData);
    await writeAtomic(certPath, der);
    this.#ca = { der, key: pair.privateKey };
  }

  /** A data provider's signing key and CA-issued certificate, created the first time that provider signs (RSA keys are slow to make). */
  providerSigner(providerId: string, displayName: string): Promise<ProviderSigner> {
    let signer = this.#providers.get(providerId);
    if (!signer) {
      signer = this.#loadOrCreateProvider(providerId, displayName);
      this.#providers.set(providerId, signer);
    }
    return signer;
  }

  async #loadOrCreateProvider(providerId: string, displayName: string): Promise<ProviderSigner> {
    if (!/^[a-z0-9-]+$/.test(providerId)) throw new Error(`bad provider id ${providerId}`);
    const certPath = join(this.stateDir, 'keys', `provider-${providerId}.cer`);
    const keyPath = join(this.stateDir, 'keys', `provider-${providerId}.key.p8`);
    const [certDer, keyDer] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
    let cert: Uint8Array;
    let key: CryptoKey;
    if (certDer && keyDer) {
      cert = new Uint8Array(certDer);
      key = await globalThis.crypto.subtle.importKey('pkcs8', keyDer, RSA_ALG, false, ['sign']);
    } else {
      const x509 = await x509Lib();
      const pair = await globalThis.crypto.subtle.generateKey(RSA_ALG, true, ['sign', 'verify']);
      const now = Date.now();
      const ca = this.#authority;
      const caCert = new x509.X509Certificate(ca.der);
      const issued = await x509.X509CertificateGenerator.create({
        serialNumber: randomBytes(8).toString('hex'),
        subject: providerSubject(providerId, displayName).map(([k, v]) => `${k}=${v}`).join(', '),
        issuer: caCert.subject,
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 2 * 365 * 86_400_000),
        publicKey: pair.publicKey,
        signingKey: ca.key,
        signingAlgorithm: RSA_ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
          await x509.AuthorityKeyIdentifierExtension.create(caCert),
        ],
      });
      cert = new Uint8Array(issued.rawData);
      key = pair.privateKey;
      await writeAtomic(keyPath, new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)));
      await writeAtomic(certPath, cert);
    }
    return {
      certificateDer: cert,
      sign: async (data) => new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new Uint8Array(data))),
    };
  }

  /** An ES256 private JWK with a stable kid, kept under keys/<name>.jwk.json. */
  async ecJwk(name: string): Promise<JWK> {
    const path = join(this.stateDir, 'keys', `${name}.jwk.json`);
    const stored = await readOptional(path);
    if (stored) return JSON.parse(Buffer.from(stored).toString('utf8')) as JWK;
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: `${name}-${randomBytes(4).toString('hex')}` };
    await writeAtomic(path, JSON.stringify(jwk));
    return jwk;
  }

  /** A random secret kept across restarts (cookie keys). */
  async secret(name: string): Promise<string> {
    const path = join(this.stateDir, 'keys', `${name}.secret`);
    const stored = await readOptional(path);
    if (stored) return Buffer.from(stored).toString('utf8');
    const value = randomBytes(32).toString('base64url');
    await writeAtomic(path, value);
    return value;
  }
}

export function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

