// Vault key material: the master key, its HKDF subkeys, data-key wrapping, and the passphrase-based KeyProtector.
import { hkdfSync, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { KeyProtector } from '../ports.ts';
import { VaultError } from './errors.ts';
import { GCM_NONCE, GCM_TAG, openSmall, sealSmall } from './seal.ts';

export { openSmall, sealSmall };

export const KEY_BYTES = 32;

/**
 * Subkeys for other stores and the vault's own uses live in separate HKDF `info` namespaces, so no
 * purpose another module picks can ever yield one of the vault's internal keys.
 */
const PUBLIC_INFO = 'mydata-desktop/v1/store/';
const INTERNAL_INFO = 'mydata-desktop/v1/vault-internal/';
const PURPOSE = /^[a-z][a-z0-9-]{0,62}$/;

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function hkdf(key: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, Buffer.from(info, 'utf8'), KEY_BYTES));
}

/** A 32-byte key for another store (e.g. 'history'), stable for the life of the master key. */
export function derivePublicKey(master: Uint8Array, purpose: string): Buffer {
  if (!PURPOSE.test(purpose)) throw new TypeError(`deriveKey: purpose must match ${String(PURPOSE)}`);
  return hkdf(master, new Uint8Array(0), PUBLIC_INFO + purpose);
}

export function deriveInternalKey(master: Uint8Array, purpose: 'index' | 'wrap' | 'check' | 'mark'): Buffer {
  return hkdf(master, new Uint8Array(0), INTERNAL_INFO + purpose);
}

/** Data keys are wrapped with AES-256-GCM under the wrap subkey, bound to the package id they belong to. */
export function wrapDataKey(master: Uint8Array, packageId: string, dataKey: Uint8Array): Buffer {
  return sealSmall(deriveInternalKey(master, 'wrap'), dataKey, Buffer.from(`mydata-vault/v1/data-key/${packageId}`));
}

export function unwrapDataKey(master: Uint8Array, packageId: string, wrapped: Uint8Array): Buffer {
  const key = openSmall(deriveInternalKey(master, 'wrap'), wrapped, Buffer.from(`mydata-vault/v1/data-key/${packageId}`));
  if (key.length !== KEY_BYTES) throw new Error('unwrapped key has the wrong length');
  return key;
}

/** A value stored next to the sealed master key that tells a wrong key from a damaged index. */
export function keyCheck(master: Uint8Array): Buffer {
  return deriveInternalKey(master, 'check').subarray(0, 16);
}

export function keyCheckMatches(master: Uint8Array, stored: Uint8Array): boolean {
  const expected = keyCheck(master);
  return stored.length === expected.length && timingSafeEqual(expected, stored);
}

// ---------------------------------------------------------------------------------------------
// Passphrase protector: for Linux without a keyring (safeStorage's basic_text), on explicit consent.

/** scrypt cost as log2(N); 17 (N = 131072, r = 8: 128 MiB, about half a second) is the default. */
export interface PassphraseOptions {
  log2N?: number;
}

export const MIN_PASSPHRASE_CHARS = 10;
const PASS_MAGIC = Buffer.from('MDVPASS1', 'ascii');
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const DEFAULT_LOG2N = 17;
const MIN_LOG2N = 10;

/** A KeyProtector that marks itself, so the vault records that a passphrase (not the OS) guards its key. */
export interface PassphraseKeyProtector extends KeyProtector {
  readonly kind: 'passphrase';
}

export function isPassphraseProtector(protector: KeyProtector): protector is PassphraseKeyProtector {
  return (protector as Partial<PassphraseKeyProtector>).kind === 'passphrase';
}

function scrypt(passphrase: string, salt: Uint8Array, log2N: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2N;
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/**
 * Sealed layout: "MDVPASS1" ‖ log2N (1) ‖ r (1) ‖ p (1) ‖ salt (16) ‖ nonce (12) ‖ ciphertext ‖ tag (16);
 * the bytes before the nonce are bound as AAD, so the cost parameters cannot be swapped.
 */
export function createPassphraseProtector(passphrase: string, options: PassphraseOptions = {}): PassphraseKeyProtector {
  if (Array.from(new Intl.Segmenter().segment(passphrase.normalize('NFC'))).length < MIN_PASSPHRASE_CHARS) {
    throw VaultError.weakPassphrase(MIN_PASSPHRASE_CHARS);
  }
  const log2N = options.log2N ?? DEFAULT_LOG2N;
  if (!Number.isInteger(log2N) || log2N < MIN_LOG2N || log2N > 22) throw new TypeError('log2N out of range');
  return {
    kind: 'passphrase',
    isStrong: () => Promise.resolve(true),
    async protect(plain) {
      const header = Buffer.concat([PASS_MAGIC, Buffer.from([log2N, SCRYPT_R, SCRYPT_P]), randomBytes(16)]);
      const key = await scrypt(passphrase, header.subarray(11), log2N, SCRYPT_R, SCRYPT_P);
      return Buffer.concat([header, sealSmall(key, plain, header)]);
    },
    async unprotect(sealed) {
      const bytes = Buffer.from(sealed);
      if (bytes.length < 27 + GCM_NONCE + GCM_TAG || !bytes.subarray(0, 8).equals(PASS_MAGIC)) throw VaultError.passphraseRequired();
      const [n, r, p] = [bytes[8] ?? 0, bytes[9] ?? 0, bytes[10] ?? 0];
      // Refuse parameters an attacker could have lowered to make guessing cheap, or raised to exhaust memory.
      if (n < MIN_LOG2N || n > 22 || r < 1 || r > 32 || p < 1 || p > 16) throw VaultError.wrongPassphrase();
      const header = bytes.subarray(0, 27);
      const key = await scrypt(passphrase, header.subarray(11), n, r, p);
      try {
        return openSmall(key, bytes.subarray(27), header);
      } catch {
        throw VaultError.wrongPassphrase();
      }
    },
  };
}
