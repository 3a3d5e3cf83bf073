// An encrypted, append-only temp file for a package in transit: random-access readable (the verifier needs the zip's central directory) but never plain text on disk.
//
// Why a spool: a zip is read from its end (central directory), so the verifier needs random access, and a package
// can be far larger than memory should hold. Why encrypted: ARCHITECTURE §6 allows no plain text of a package on
// disk. AES-256-CTR with a key that lives only in this object lets any byte range be decrypted on its own; the key
// dies with the process, so a spool left by a crash is unreadable noise that the next start removes
// (sweepSpools). CTR has no integrity tag of its own: integrity comes from the whole-body SHA-256 checked against
// Repr-Digest while the bytes arrive, and from the package's signed digests checked when it is read back.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID, type Cipheriv, type Decipheriv } from 'node:crypto';
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Reader } from '@zip.js/zip.js';

const SPOOL_SUFFIX = '.spool';
const READ_CHUNK = 256 * 1024;
const WRITE_BATCH = 1024 * 1024;
const READ_WINDOW = 1024 * 1024;

/** The counter block for byte `offset`: the 128-bit IV plus the block number, wrapping like AES-CTR itself. */
function counterAt(iv: Buffer, offset: number): Buffer {
  const value = (BigInt(`0x${iv.toString('hex')}`) + BigInt(Math.floor(offset / 16))) & ((1n << 128n) - 1n);
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

function cipherAt(key: Buffer, iv: Buffer, offset: number, decrypt: boolean): Cipheriv | Decipheriv {
  const cipher = decrypt ? createDecipheriv('aes-256-ctr', key, counterAt(iv, offset)) : createCipheriv('aes-256-ctr', key, counterAt(iv, offset));
  const skip = offset % 16;
  if (skip > 0) cipher.update(Buffer.alloc(skip));
  return cipher;
}

/** Removes spools left by an earlier run (their keys are gone, so they can only be noise). */
export async function sweepSpools(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const stale = names.filter((name) => name.endsWith(SPOOL_SUFFIX));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  return stale.length;
}

export class EncryptedSpool {
  readonly path: string;
  readonly #key = randomBytes(32);
  readonly #iv = randomBytes(16);
  #handle: FileHandle;
  /** Bytes handed to the disk (the last write may still be in flight: #settle() waits for it). */
  #written = 0;
  /**
   * The one write in flight, if any. Encrypting the next megabyte while the last one is written halves the time
   * the download spends waiting on the disk; one at a time keeps memory bounded. Its failure (e.g. ENOSPC) is
   * thrown by the next append, flush or read.
   */
  #inflight: Promise<void> | null = null;
  /** Ciphertext of the window after the cached one, read ahead while the verifier works on the cached one. */
  #ahead: { start: number; end: number; buffer: Buffer; done: Promise<void> } | null = null;
  readonly #batch = Buffer.allocUnsafe(WRITE_BATCH);
  #pending: Uint8Array = this.#batch.subarray(0, 0);
  #writer: Cipheriv | Decipheriv | null = null;
  /** The last decrypted window, so the verifier's sequential small reads do not each go to the disk. */
  #cache: { start: number; bytes: Buffer } | null = null;
  /**
   * Ciphertext of one window, and of the window read ahead, reused by every read: only the decrypted bytes are
   * allocated per window (GC pressure).
   */
  #sealed: Buffer = Buffer.allocUnsafe(READ_WINDOW);
  #sealedAhead: Buffer = Buffer.allocUnsafe(READ_WINDOW);
  #closed = false;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  static async create(dir: string): Promise<EncryptedSpool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${randomUUID()}${SPOOL_SUFFIX}`);
    const handle = await open(path, 'wx+', 0o600);
    return new EncryptedSpool(path, handle);
  }

  /** Bytes appended so far (written or still gathered). */
  get size(): number {
    return this.#written + this.#pending.length;
  }

  /** Appends after what was written; small chunks are gathered into 1 MiB writes (fewer system calls under load). */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.#pending.length + chunk.length > WRITE_BATCH) await this.#writePending();
    if (chunk.length >= WRITE_BATCH) {
      await this.#writeSealed(chunk);
      return;
    }
    this.#batch.set(chunk, this.#pending.length);
    this.#pending = this.#batch.subarray(0, this.#pending.length + chunk.length);
  }

  /** Writes what append() gathered and waits until every write is done; reads call it first, so they see every byte. */
  async flush(): Promise<void> {
    await this.#writePending();
    await this.#settle();
  }

  async #writePending(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = this.#batch.subarray(0, 0);
    await this.#writeSealed(pending);
  }

  /** Waits for the write in flight; throws its error. */
  async #settle(): Promise<void> {
    const inflight = this.#inflight;
    this.#inflight = null;
    await inflight;
  }

  /** Encrypts `plain` (which the caller may reuse at once) and starts writing it after the previous write is done. */
  async #writeSealed(plain: Uint8Array): Promise<void> {
    this.#writer ??= cipherAt(this.#key, this.#iv, this.#written, false);
    const sealed = this.#writer.update(plain);
    const position = this.#written;
    this.#written += plain.length;
    await this.#settle();
    const handle = this.#handle;
    const write = (async () => {
      let at = 0;
      while (at < sealed.length) {
        const { bytesWritten } = await handle.write(sealed, at, sealed.length - at, position + at);
        at += bytesWritten;
      }
    })();
    // Observed by the next #settle(); this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => undefined);
    this.#inflight = write;
  }

  /** Drops everything from `size` on (a server that ignored Range sends the whole body again). */
  async truncate(size: number): Promise<void> {
    await this.flush();
    await this.#dropAhead();
    await this.#handle.truncate(size);
    this.#written = size;
    this.#writer = null;
    this.#cache = null;
  }

  async #dropAhead(): Promise<void> {
    const ahead = this.#ahead;
    this.#ahead = null;
    await ahead?.done.catch(() => undefined);
  }

  /** Reads ciphertext [start, end) from the file into `into`. */
  async #readSealed(into: Buffer, start: number, end: number): Promise<void> {
    let at = 0;
    while (at < end - start) {
      const { bytesRead } = await this.#handle.read(into, at, end - start - at, start + at);
      if (bytesRead === 0) throw new Error('the download spool became shorter while it was read');
      at += bytesRead;
    }
  }

  /**
   * Decrypts [start, end) into memory; used for the verifier's random reads. The bytes may be a view of a shared
   * read-ahead window (no copy per read, which was most of the verifier's garbage): callers must not modify them.
   */
  async read(start: number, end: number): Promise<Uint8Array> {
    await this.flush();
    const from = Math.max(0, Math.min(start, this.#written));
    const to = Math.max(from, Math.min(end, this.#written));
    const cache = this.#cache;
    if (cache && from >= cache.start && to <= cache.start + cache.bytes.length) {
      return cache.bytes.subarray(from - cache.start, to - cache.start);
    }
    // Small reads fetch a whole window; large ones are read as asked.
    const upto = to - from < READ_WINDOW ? Math.min(this.#written, from + READ_WINDOW) : to;
    let sealed: Buffer;
    const ahead = this.#ahead;
    if (ahead && ahead.start === from && ahead.end === upto) {
      // The verifier reads on from where it was: this window was read while it worked on the last one.
      this.#ahead = null;
      await ahead.done;
      [this.#sealed, this.#sealedAhead] = [ahead.buffer, this.#sealed];
      sealed = this.#sealed.subarray(0, upto - from);
    } else {
      await this.#dropAhead();
      sealed = upto - from <= READ_WINDOW ? this.#sealed.subarray(0, upto - from) : Buffer.allocUnsafe(upto - from);
      await this.#readSealed(sealed, from, upto);
    }
    const plain = cipherAt(this.#key, this.#iv, from, true).update(sealed);
    if (upto > to) {
      this.#cache = { start: from, bytes: plain };
      // Read the next window ahead (into the other buffer) while this one is used.
      const next = Math.min(this.#written, upto + READ_WINDOW);
      if (next > upto) {
        const buffer = this.#sealedAhead;
        const done = this.#readSealed(buffer, upto, next);
        done.catch(() => undefined); // a failure is thrown when (if) the window is used
        this.#ahead = { start: upto, end: next, buffer, done };
      }
    }
    return plain.subarray(0, to - from);
  }

  /** Decrypted [start, end) as a stream of bounded chunks (entries are streamed, never held whole). */
  stream(start: number, end: number): ReadableStream<Uint8Array> {
    let at = Math.max(0, start);
    const stop = Math.min(end, this.size);
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (at >= stop) {
          controller.close();
          return;
        }
        const next = Math.min(stop, at + READ_CHUNK);
        const chunk = await this.read(at, next);
        at = next;
        controller.enqueue(chunk);
      },
    });
  }

  /**
   * A zip.js reader over the plain text for the package verifier: random reads decrypt on demand, nothing is
   * materialised, and (unlike a Blob, whose arrayBuffer() must copy out of the read-ahead window) no read copies.
   */
  reader(): Reader<null> {
    return new SpoolReader(this);
  }

  /** Closes and deletes the spool (idempotent). */
  async dispose(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#key.fill(0);
    this.#cache = null;
    this.#batch.fill(0);
    await this.#settle().catch(() => undefined);
    await this.#dropAhead();
    await this.#handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }
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
