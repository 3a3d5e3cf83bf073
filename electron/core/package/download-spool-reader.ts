// A zip.js reader over a download spool's plain text for the package verifier (kept apart so the spool itself loads without zip.js).
import { Reader } from '@zip.js/zip.js';
import type { EncryptedSpool } from './download-spool.ts';

/**
 * Random reads decrypt on demand, nothing is materialised, and (unlike a Blob, whose arrayBuffer() must copy out of
 * the read-ahead window) no read copies.
 */
export function spoolReader(spool: EncryptedSpool): Reader<null> {
  return new SpoolReader(spool);
}

class SpoolReader extends Reader<null> {
  readonly #spool: EncryptedSpool;
  constructor(spool: EncryptedSpool) {
    super(null);
    this.#spool = spool;
    this.size = spool.size;
  }
  override async init(): Promise<void> {
    // Nothing to prepare: the spool is open and complete.
  }
  override readUint8Array(index: number, length: number): Promise<Uint8Array> {
    return this.#spool.read(index, Math.min(this.size, index + length));
  }
}
