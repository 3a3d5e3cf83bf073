// AES-256-GCM over small values (sealed keys, indexes, checkpoints), with no other dependency so light modules (the download spool) can use it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const GCM_NONCE = 12;
export const GCM_TAG = 16;

/** AES-256-GCM over small values: nonce ‖ ciphertext ‖ tag, with `aad` bound in. */
export function sealSmall(key: Uint8Array, plain: Uint8Array, aad: Uint8Array): Buffer {
  const nonce = randomBytes(GCM_NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Throws (a plain Error) when the value or its binding was altered; callers name the failure. */
export function openSmall(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < GCM_NONCE + GCM_TAG) throw new Error('sealed value too short');
  const nonce = sealed.subarray(0, GCM_NONCE);
  const tag = sealed.subarray(sealed.length - GCM_TAG);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(GCM_NONCE, sealed.length - GCM_TAG)), decipher.final()]);
}

