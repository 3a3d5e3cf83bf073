// An encrypted, append-only temp file for a package in transit: random-access readable (the verifier needs the zip's central directory), never plain text on disk, and resumable after a quit or a crash.
//
// Why a spool: a zip is read from its end (central directory), so the verifier needs random access, and a package
// can be far larger than memory should hold. Why encrypted: ARCHITECTURE §6 allows no plain text of a package on
// disk. AES-256-CTR lets any byte range be decrypted on its own. CTR has no integrity tag of its own: integrity comes
// from the whole-body SHA-256 checked against Repr-Digest, and from the package's signed digests checked when it is
// read back.
//
// Why resumable: the platform spends the one-time ticket only when the last byte is handed over (G1), so a download
// that a quit or a crash interrupted can continue with Range in the next run. The file starts with two checkpoint
// slots (AES-256-GCM under a key derived from the vault's master key, so the spool's data key is protected exactly
// like the vault's and never plain on disk), written in turn after each data write: the data's length, the SHA-256
// of the plain bytes up to it, the data key, and what the platform announced. A new run takes the newest slot whose
// prefix digest matches what it decrypts from the file, so torn or lost data (power loss before the OS wrote it) is
// never accepted: it falls back to the older slot, or starts over while the ticket is unspent.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_OFFSET, openSlot, resumableName, sealSlot, SLOT_BYTES, SPOOL_SUFFIX, type Checkpoint, type SpoolAnnounced } from './download-spool-checkpoint.ts';
import { ownedBuffer, startSpoolCrypto, type SpoolCrypto } from './download-spool-crypto.ts';
import { READ_WINDOW, readSealed, SpoolWindows } from './download-spool-windows.ts';

export type { SpoolAnnounced } from './download-spool-checkpoint.ts';
export { discardSpool, SPOOL_MAX_AGE_MS, sweepSpools } from './download-spool-sweep.ts';

const READ_CHUNK = 256 * 1024;
/**
 * Plain bytes gathered per write. A crash loses at most what is gathered plus the one write in flight
 * (2 × 512 KiB), so a resumed download fetches at most 1 MiB twice.
 */
const WRITE_BATCH = 512 * 1024;
/** Gathering buffers kept for reuse: one being filled, one being sealed, one being written. */
const SPARE_BATCHES = 3;

export interface SpoolOptions {
  /** The crypto worker's module (defaultSpoolWorkerUrl() when not given), or null to seal on the caller's thread. */
  cryptoWorker?: URL | null;
}

export class EncryptedSpool {
  readonly path: string;
  readonly #name: string;
  #key: Buffer = randomBytes(32);
  #iv: Buffer = randomBytes(16);
  /** The key the checkpoint slots are sealed with, and the transaction they belong to; null for a throwaway spool. */
  readonly #resume: { spoolKey: Buffer; txId: string } | null;
  #seq = 0;
  #announced: SpoolAnnounced | null = null;
  #resumedFrom = 0;
  /** The keystream and the SHA-256 of the plain bytes handed to the disk, in order (on a worker thread when one started). */
  readonly #crypto: SpoolCrypto;
  #handle: FileHandle;
  /** Bytes handed to the disk (the last write may still be in flight: #settle() waits for it). */
  #written = 0;
  /**
   * The one write in flight, if any. Encrypting the next batch while the last one is written halves the time
   * the download spends waiting on the disk; one at a time keeps memory bounded and the checkpoints in order.
   * Its failure (e.g. ENOSPC) is thrown by the next append, flush or read.
   */
  #inflight: Promise<void> | null = null;
  /** Gathers appended bytes; moved to the crypto worker when full, and another (a spare) takes its place. */
  #batch: Buffer = ownedBuffer(WRITE_BATCH);
  #pending = 0;
  readonly #spares: Buffer[] = [];
  /** The verifier's reads: decrypted windows with read-ahead. */
  readonly #windows: SpoolWindows;
  #closed = false;

  private constructor(path: string, name: string, handle: FileHandle, resume: { spoolKey: Buffer; txId: string } | null, crypto: SpoolCrypto) {
    this.path = path;
    this.#name = name;
    this.#handle = handle;
    this.#resume = resume;
    this.#crypto = crypto;
    this.#windows = new SpoolWindows(handle, crypto);
  }

  /** A throwaway spool: its key lives only in this object, so what a crash leaves is noise the next start removes. */
  static async create(dir: string, options: SpoolOptions = {}): Promise<EncryptedSpool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = `${randomUUID()}${SPOOL_SUFFIX}`;
    const path = join(dir, name);
    const crypto = await startSpoolCrypto(options.cryptoWorker);
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx+', 0o600);
    } catch (error) {
      await crypto.close();
      throw error;
    }
    const spool = new EncryptedSpool(path, name, handle, null, crypto);
    await spool.#crypto.reset(spool.#key, spool.#iv);
    return spool;
  }

  /**
   * The spool of one transaction's download, sealed under `spoolKey` (derived from the vault's master key): what an
   * earlier run checkpointed is taken up again (see `resumedFrom` and `announced`), anything unusable is dropped.
   */
  static async openFor(dir: string, spoolKey: Uint8Array, txId: string, options: SpoolOptions = {}): Promise<EncryptedSpool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = resumableName(spoolKey, txId);
    const path = join(dir, name);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      handle = await open(path, 'wx+', 0o600);
    }
    let crypto: SpoolCrypto | null = null;
    try {
      crypto = await startSpoolCrypto(options.cryptoWorker);
      const spool = new EncryptedSpool(path, name, handle, { spoolKey: Buffer.from(spoolKey), txId }, crypto);
      await spool.#recover();
      return spool;
    } catch (error) {
      await crypto?.close().catch(() => undefined);
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Takes up the newest checkpoint whose data is intact; otherwise starts empty. */
  async #recover(): Promise<void> {
    const resume = this.#resume;
    if (resume === null) return;
    let buffer = ownedBuffer(READ_WINDOW);
    const head = Buffer.alloc(DATA_OFFSET);
    const { bytesRead } = await this.#handle.read(head, 0, DATA_OFFSET, 0);
    const slots = [0, 1]
      .map((i) => (bytesRead >= (i + 1) * SLOT_BYTES ? openSlot(head.subarray(i * SLOT_BYTES, (i + 1) * SLOT_BYTES), resume.spoolKey, this.#name, resume.txId) : null))
      .filter((c): c is Checkpoint => c !== null)
      .sort((a, b) => b.seq - a.seq);
    const fileData = Math.max(0, (await this.#handle.stat()).size - DATA_OFFSET);
    for (const slot of slots) {
      if (slot.length > fileData) continue;
      const key = Buffer.from(slot.key, 'base64');
      const iv = Buffer.from(slot.iv, 'base64');
      // Decrypting the slot's data into the digest also leaves the keystream where the next byte continues it.
      await this.#crypto.reset(key, iv);
      let at = 0;
      while (at < slot.length) {
        const n = Math.min(READ_WINDOW, slot.length - at);
        await readSealed(this.#handle, buffer, at, at + n);
        buffer = await this.#crypto.absorb(buffer, n);
        at += n;
      }
      if ((await this.#crypto.digest()) !== slot.prefix) continue;
      this.#key = key;
      this.#iv = iv;
      this.#written = slot.length;
      this.#resumedFrom = slot.length;
      this.#seq = slot.seq;
      this.#announced = slot.announced;
      // Bytes after the checkpoint were never acknowledged: drop them (a torn last write among them).
      await this.#handle.truncate(DATA_OFFSET + slot.length);
      return;
    }
    // Nothing usable: start over with a new data key, so no keystream is reused over different bytes.
    await this.#crypto.reset(this.#key, this.#iv);
    await this.#handle.truncate(0);
  }

  /** Bytes taken up from an earlier run (0 for a new spool). */
  get resumedFrom(): number {
    return this.#resumedFrom;
  }

  /** What the platform announced, as checkpointed by an earlier run (or set by announce()). */
  get announced(): SpoolAnnounced | null {
    return this.#announced;
  }

  /** Records what the platform announced, for the next checkpoint. */
  announce(announced: SpoolAnnounced): void {
    this.#announced = { ...announced };
  }

  /** Bytes appended so far (written or still gathered). */
  get size(): number {
    return this.#written + this.#pending;
  }

  /** SHA-256 (hex) of every byte appended, after writing what is gathered. */
  async digest(): Promise<string> {
    await this.flush();
    return this.#crypto.digest();
  }

  /** Appends after what was written; small chunks are gathered into batched writes (fewer system calls under load). */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.#pending + chunk.length > WRITE_BATCH) await this.#writePending();
    if (chunk.length >= WRITE_BATCH) {
      const own = ownedBuffer(chunk.length);
      own.set(chunk);
      await this.#writeSealed(own, chunk.length);
      return;
    }
    this.#batch.set(chunk, this.#pending);
    this.#pending += chunk.length;
  }

  /** Writes what append() gathered and waits until every write (and its checkpoint) is done; reads call it first. */
  async flush(): Promise<void> {
    await this.#writePending();
    await this.#settle();
  }

  async #writePending(): Promise<void> {
    if (this.#pending === 0) return;
    const [batch, length] = [this.#batch, this.#pending];
    this.#batch = this.#spares.pop() ?? ownedBuffer(WRITE_BATCH);
    this.#pending = 0;
    await this.#writeSealed(batch, length);
  }

  /** Waits for the write in flight; throws its error. */
  async #settle(): Promise<void> {
    const inflight = this.#inflight;
    this.#inflight = null;
    await inflight;
  }

  /**
   * Hands the first `length` bytes of `plain` (moved: the caller no longer uses it) to the crypto worker and starts
   * writing their ciphertext after the previous write is done. The worker seals this batch while the last one is
   * written, so this thread only gathers bytes and issues writes.
   */
  async #writeSealed(plain: Buffer, length: number): Promise<void> {
    const position = this.#written;
    this.#written += length;
    // What the checkpoint will say is fixed now, in append order; only the digest comes from the worker.
    const resume = this.#resume;
    const checkpoint = resume === null ? null : { seq: ++this.#seq, key: this.#key.toString('base64'), iv: this.#iv.toString('base64'), announced: this.#announced };
    const sealing = this.#crypto.seal(plain, length, checkpoint !== null);
    sealing.catch(() => undefined); // thrown below, by the write that waits for it
    await this.#settle();
    const handle = this.#handle;
    const write = (async () => {
      const { sealed, buffer, prefix } = await sealing;
      if (buffer.length === WRITE_BATCH && this.#spares.length < SPARE_BATCHES && !this.#closed) this.#spares.push(buffer);
      else buffer.fill(0);
      let at = 0;
      while (at < sealed.length) {
        const { bytesWritten } = await handle.write(sealed, at, sealed.length - at, DATA_OFFSET + position + at);
        at += bytesWritten;
      }
      // Only after the data: a slot never names bytes the OS was not given (a killed process loses neither).
      if (resume !== null && checkpoint !== null && prefix !== null) {
        const slot = sealSlot({ ...checkpoint, length: position + length, prefix, tx: resume.txId }, resume.spoolKey, this.#name);
        await handle.write(slot.bytes, 0, SLOT_BYTES, slot.at);
      }
    })();
    // Observed by the next #settle(); this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => undefined);
    this.#inflight = write;
  }

  /** Drops every byte (a server that ignored Range sends the whole body again); a new data key is used from here. */
  async restart(): Promise<void> {
    await this.flush();
    await this.#windows.reset();
    await this.#handle.truncate(DATA_OFFSET);
    this.#written = 0;
    this.#resumedFrom = 0;
    this.#key = randomBytes(32);
    this.#iv = randomBytes(16);
    await this.#crypto.reset(this.#key, this.#iv);
  }

  /**
   * Decrypts [start, end) into memory; used for the verifier's random reads. The bytes may be a view of a shared
   * read-ahead window (no copy per read, which was most of the verifier's garbage): callers must not modify them.
   */
  async read(start: number, end: number): Promise<Uint8Array> {
    await this.flush();
    return this.#windows.read(this.#key, this.#iv, this.#written, start, end);
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
   * Keeps the spool for the next run (a quit, or a connection that kept dropping): writes what is gathered, its
   * checkpoint, and syncs, so even a power cut after this loses nothing. A throwaway spool is deleted instead.
   */
  async suspend(): Promise<void> {
    if (this.#closed) return;
    if (this.#resume === null) {
      await this.dispose();
      return;
    }
    try {
      await this.flush();
      await this.#handle.sync();
    } finally {
      await this.#close();
    }
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#key.fill(0);
    this.#resume?.spoolKey.fill(0);
    this.#batch.fill(0);
    await this.#settle().catch(() => undefined);
    for (const spare of this.#spares.splice(0)) spare.fill(0);
    await this.#windows.reset();
    await this.#crypto.close().catch(() => undefined);
    await this.#handle.close().catch(() => undefined);
  }

  /**
   * Deletes the spool and closes it (idempotent). The file is unlinked while still open: its name goes at once,
   * and the file system frees its blocks when the handle closes, which for a large spool took longer than its whole
   * verification's tail (~0.3 s for 512 MiB), so the closing finishes in the background. The keys are wiped at once.
   * Where an open file cannot be unlinked, it is closed first and then removed.
   */
  async dispose(): Promise<void> {
    if (this.#closed) return;
    try {
      await rm(this.path, { force: true });
    } catch {
      await this.#close();
      await rm(this.path, { force: true });
      return;
    }
    this.#close().catch(() => undefined);
  }
}
