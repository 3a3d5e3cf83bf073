// The verifier's random reads over a download spool: ciphertext read in windows and decrypted on the spool's crypto worker (the next window read and decrypted ahead), the last window kept for the small reads that follow.
import type { FileHandle } from 'node:fs/promises';
import { DATA_OFFSET } from './download-spool-checkpoint.ts';
import { ownedBuffer, type SpoolCrypto } from './download-spool-crypto.ts';

export const READ_WINDOW = 1024 * 1024;

/** Reads ciphertext of data bytes [start, end) from the spool's file into `into`. */
export async function readSealed(handle: FileHandle, into: Buffer, start: number, end: number): Promise<void> {
  let at = 0;
  while (at < end - start) {
    const { bytesRead } = await handle.read(into, at, end - start - at, DATA_OFFSET + start + at);
    if (bytesRead === 0) throw new Error('the download spool became shorter while it was read');
    at += bytesRead;
  }
}

export class SpoolWindows {
  readonly #handle: FileHandle;
  readonly #crypto: SpoolCrypto;
  /** The last decrypted window, so the verifier's sequential small reads do not each go to the disk. */
  #cache: { start: number; bytes: Buffer } | null = null;
  /**
   * The window after the cached one, read and decrypted ahead while the verifier works on the cached one: the
   * verifier's thread then never waits for the disk or the worker on a sequential pass (it did for about a third
   * of a 512 MiB verification).
   */
  #ahead: { start: number; end: number; plain: Promise<{ plain: Buffer; buffer: Buffer }> } | null = null;
  /**
   * Buffers for a window's ciphertext (the one decrypted, the one read ahead), reused by every read: only the
   * decrypted bytes are allocated per window (GC pressure). They travel to the crypto worker and back.
   */
  readonly #spare: Buffer[] = [];

  constructor(handle: FileHandle, crypto: SpoolCrypto) {
    this.#handle = handle;
    this.#crypto = crypto;
  }

  /**
   * Decrypts [start, end) of the first `written` data bytes. The bytes may be a view of a shared read-ahead window
   * (no copy per read, which was most of the verifier's garbage): callers must not modify them.
   */
  async read(key: Uint8Array, iv: Uint8Array, written: number, start: number, end: number): Promise<Uint8Array> {
    const from = Math.max(0, Math.min(start, written));
    const to = Math.max(from, Math.min(end, written));
    const cache = this.#cache;
    if (cache && from >= cache.start && to <= cache.start + cache.bytes.length) {
      return cache.bytes.subarray(from - cache.start, to - cache.start);
    }
    // Small reads fetch a whole window; large ones are read as asked.
    const upto = to - from < READ_WINDOW ? Math.min(written, from + READ_WINDOW) : to;
    let window: Promise<{ plain: Buffer; buffer: Buffer }>;
    const ahead = this.#ahead;
    if (ahead && ahead.start === from && ahead.end === upto) {
      // The verifier reads on from where it was: this window was read and decrypted while it worked on the last one.
      this.#ahead = null;
      window = ahead.plain;
      // Being ready at once, it would let a whole verification run on without ever returning to the event loop (the
      // loop that answers the renderer in main): give it a turn once per window.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } else {
      await this.#dropAhead();
      const sealed = upto - from <= READ_WINDOW ? this.#takeBuffer() : ownedBuffer(upto - from);
      await readSealed(this.#handle, sealed, from, upto);
      // Decrypted on the crypto worker: a verifier's pass over hundreds of MiB leaves this thread free.
      window = this.#crypto.decrypt(key, iv, from, sealed, upto - from);
    }
    // Read and decrypt the next window ahead (into another buffer) while this one is used; the worker takes calls
    // in order, so this one is decrypted first.
    const next = Math.min(written, upto + READ_WINDOW);
    if (upto > to && next > upto) {
      const buffer = this.#takeBuffer();
      const plain = readSealed(this.#handle, buffer, upto, next).then(() => this.#crypto.decrypt(key, iv, upto, buffer, next - upto));
      plain.catch(() => undefined); // a failure is thrown when (if) the window is used
      this.#ahead = { start: upto, end: next, plain };
    }
    const { plain, buffer } = await window;
    this.#giveBack(buffer);
    if (upto > to) this.#cache = { start: from, bytes: plain };
    return plain.subarray(0, to - from);
  }

  /** Forgets the cached window and what was read ahead (the data was dropped, or the spool closes). */
  async reset(): Promise<void> {
    this.#cache = null;
    await this.#dropAhead();
  }

  async #dropAhead(): Promise<void> {
    const ahead = this.#ahead;
    this.#ahead = null;
    if (ahead === null) return;
    const done = await ahead.plain.catch(() => null);
    if (done !== null) this.#giveBack(done.buffer);
  }

  #takeBuffer(): Buffer {
    return this.#spare.pop() ?? ownedBuffer(READ_WINDOW);
  }

  #giveBack(buffer: Buffer): void {
    if (buffer.length === READ_WINDOW && this.#spare.length < 2) this.#spare.push(buffer);
  }
}
