// The spool's AES-256-CTR keystream entered at any byte offset (a range is decrypted on its own), and the write side that seals new bytes and keeps their running SHA-256.
import { createCipheriv, createDecipheriv, createHash, type Cipheriv, type Decipheriv, type Hash } from 'node:crypto';

/** The counter block for byte `offset`: the 128-bit IV plus the block number, wrapping like AES-CTR itself. */
function counterAt(iv: Uint8Array, offset: number): Buffer {
  const value = (BigInt(`0x${Buffer.from(iv).toString('hex')}`) + BigInt(Math.floor(offset / 16))) & ((1n << 128n) - 1n);
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

/** A CTR cipher whose next output byte is keystream byte `offset` (encrypting and decrypting are the same in CTR). */
export function cipherAt(key: Uint8Array, iv: Uint8Array, offset: number, decrypt: boolean): Cipheriv | Decipheriv {
  const cipher = decrypt ? createDecipheriv('aes-256-ctr', key, counterAt(iv, offset)) : createCipheriv('aes-256-ctr', key, counterAt(iv, offset));
  const skip = offset % 16;
  if (skip > 0) cipher.update(Buffer.alloc(skip));
  return cipher;
}

/**
 * The spool's write side: the CTR keystream and the running SHA-256 of the plain bytes, both in file order. It runs
 * on the spool's crypto worker (download-spool-worker.ts), or on the caller's thread when no worker could start.
 */
export class SpoolSealer {
  #cipher: Cipheriv | Decipheriv | null = null;
  #hash: Hash = createHash('sha256');

  /** A new data key: the keystream starts at byte 0 and the digest afresh. */
  reset(key: Uint8Array, iv: Uint8Array): void {
    this.#cipher = cipherAt(key, iv, 0, false);
    this.#hash = createHash('sha256');
  }

  /** Encrypts the next plain bytes; `prefix` also returns the SHA-256 (hex) of every plain byte so far. */
  seal(plain: Uint8Array, prefix: boolean): { sealed: Buffer; prefix: string | null } {
    const sealed = this.#started().update(plain);
    this.#hash.update(plain);
    return { sealed, prefix: prefix ? this.digest() : null };
  }

  /** Takes up ciphertext already on disk (a resumed spool): decrypts it into the digest and moves the keystream past it. */
  absorb(sealed: Uint8Array): void {
    this.#hash.update(this.#started().update(sealed));
  }

  /** SHA-256 (hex) of every plain byte sealed or absorbed since the last reset. */
  digest(): string {
    return this.#hash.copy().digest('hex');
  }

  #started(): Cipheriv | Decipheriv {
    if (this.#cipher === null) throw new Error('the spool sealer has no key');
    return this.#cipher;
  }
}
