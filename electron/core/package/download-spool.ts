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
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID, type Cipheriv, type Decipheriv, type Hash } from 'node:crypto';
import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { openSmall, sealSmall } from '../vault/seal.ts';

const SPOOL_SUFFIX = '.spool';
/** Resumable spools are named by an HMAC of their transaction id (no id on disk, found again by the next run). */
const RESUMABLE_NAME = /^[0-9a-f]{32}\.spool$/;
const READ_CHUNK = 256 * 1024;
/**
 * Plain bytes gathered per write. A crash loses at most what is gathered plus the one write in flight
 * (2 × 512 KiB), so a resumed download fetches at most 1 MiB twice.
 */
const WRITE_BATCH = 512 * 1024;
const READ_WINDOW = 1024 * 1024;
/** Two checkpoint slots at the head of the file, then the data. */
const SLOT_BYTES = 512;
const DATA_OFFSET = 2 * SLOT_BYTES;
const SLOT_MAGIC = Buffer.from('MDSPOOL1', 'ascii');
/** Spools this old are dropped at start: the platform keeps a package 8 hours after it is ready. */
export const SPOOL_MAX_AGE_MS = 24 * 3600_000;

/** What the platform announced with the first response; a resumed download checks the Range answer against it. */
export interface SpoolAnnounced {
  status: 200 | 403;
  total: number;
  sha256: string | null;
}

interface Checkpoint {
  seq: number;
  length: number;
  prefix: string;
  key: string;
  iv: string;
  tx: string;
  announced: SpoolAnnounced | null;
}

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

/** The file name of a transaction's resumable spool. */
function resumableName(spoolKey: Uint8Array, txId: string): string {
  return `${createHmac('sha256', spoolKey).update(`mydata-spool/v1/name/${txId}`).digest('hex').slice(0, 32)}${SPOOL_SUFFIX}`;
}

function slotAad(name: string): Buffer {
  return Buffer.from(`mydata-spool/v1/slot/${name}`, 'utf8');
}

function isAnnounced(value: unknown): value is SpoolAnnounced {
  const a = value as Partial<SpoolAnnounced> | null;
  return a !== null && typeof a === 'object' && (a.status === 200 || a.status === 403) && Number.isSafeInteger(a.total) && (a.total ?? 0) > 0 && (a.sha256 === null || (typeof a.sha256 === 'string' && /^[0-9a-f]{64}$/.test(a.sha256)));
}

/** A slot's checkpoint, or null when it is empty, torn, sealed by another key or for another spool. */
function openSlot(bytes: Buffer, spoolKey: Uint8Array, name: string, txId: string): Checkpoint | null {
  if (bytes.length < SLOT_BYTES || !bytes.subarray(0, SLOT_MAGIC.length).equals(SLOT_MAGIC)) return null;
  const length = bytes.readUInt16BE(SLOT_MAGIC.length);
  if (length > SLOT_BYTES - SLOT_MAGIC.length - 2) return null;
  try {
    const plain = openSmall(spoolKey, bytes.subarray(SLOT_MAGIC.length + 2, SLOT_MAGIC.length + 2 + length), slotAad(name));
    const c = JSON.parse(plain.toString('utf8')) as Partial<Checkpoint>;
    if (c.tx !== txId || !Number.isSafeInteger(c.seq) || !Number.isSafeInteger(c.length) || (c.length ?? -1) < 0) return null;
    if (typeof c.prefix !== 'string' || typeof c.key !== 'string' || typeof c.iv !== 'string') return null;
    if (c.announced !== null && !isAnnounced(c.announced)) return null;
    const key = Buffer.from(c.key, 'base64');
    const iv = Buffer.from(c.iv, 'base64');
    if (key.length !== 32 || iv.length !== 16) return null;
    return c as Checkpoint;
  } catch {
    return null;
  }
}

/**
 * Removes spools an earlier run left that can no longer be resumed: those without checkpoints (an older format, or
 * an import's), and those older than SPOOL_MAX_AGE_MS. Resumable ones stay for the next download of their transaction.
 */
export async function sweepSpools(dir: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(SPOOL_SUFFIX))) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info === null) continue;
    if (RESUMABLE_NAME.test(name) && now - info.mtimeMs < SPOOL_MAX_AGE_MS) continue;
    await rm(path, { force: true });
    removed += 1;
  }
  return removed;
}

/** Deletes a transaction's resumable spool, if any (its package is kept, or its ticket is spent). */
export async function discardSpool(dir: string, spoolKey: Uint8Array, txId: string): Promise<void> {
  await rm(join(dir, resumableName(spoolKey, txId)), { force: true });
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
  /** SHA-256 of the plain bytes handed to the disk, in order. */
  #hash: Hash = createHash('sha256');
  #handle: FileHandle;
  /** Bytes handed to the disk (the last write may still be in flight: #settle() waits for it). */
  #written = 0;
  /**
   * The one write in flight, if any. Encrypting the next batch while the last one is written halves the time
   * the download spends waiting on the disk; one at a time keeps memory bounded and the checkpoints in order.
   * Its failure (e.g. ENOSPC) is thrown by the next append, flush or read.
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

  private constructor(path: string, name: string, handle: FileHandle, resume: { spoolKey: Buffer; txId: string } | null) {
    this.path = path;
    this.#name = name;
    this.#handle = handle;
    this.#resume = resume;
  }

  /** A throwaway spool: its key lives only in this object, so what a crash leaves is noise the next start removes. */
  static async create(dir: string): Promise<EncryptedSpool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = `${randomUUID()}${SPOOL_SUFFIX}`;
    const path = join(dir, name);
    const handle = await open(path, 'wx+', 0o600);
    return new EncryptedSpool(path, name, handle, null);
  }

  /**
   * The spool of one transaction's download, sealed under `spoolKey` (derived from the vault's master key): what an
   * earlier run checkpointed is taken up again (see `resumedFrom` and `announced`), anything unusable is dropped.
   */
  static async openFor(dir: string, spoolKey: Uint8Array, txId: string): Promise<EncryptedSpool> {
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
    const spool = new EncryptedSpool(path, name, handle, { spoolKey: Buffer.from(spoolKey), txId });
    try {
      await spool.#recover();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return spool;
  }

  /** Takes up the newest checkpoint whose data is intact; otherwise starts empty. */
  async #recover(): Promise<void> {
    const resume = this.#resume;
    if (resume === null) return;
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
      const hash = createHash('sha256');
      const decipher = cipherAt(key, iv, 0, true);
      const buffer = Buffer.allocUnsafe(READ_WINDOW);
      let at = 0;
      while (at < slot.length) {
        const n = Math.min(READ_WINDOW, slot.length - at);
        await this.#readSealed(buffer, at, at + n);
        hash.update(decipher.update(buffer.subarray(0, n)));
        at += n;
      }
      if (hash.copy().digest('hex') !== slot.prefix) continue;
      this.#key = key;
      this.#iv = iv;
      this.#hash = hash;
      this.#written = slot.length;
      this.#resumedFrom = slot.length;
      this.#seq = slot.seq;
      this.#announced = slot.announced;
      // Bytes after the checkpoint were never acknowledged: drop them (a torn last write among them).
      await this.#handle.truncate(DATA_OFFSET + slot.length);
      return;
    }
    // Nothing usable: start over with a new data key, so no keystream is reused over different bytes.
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
    return this.#written + this.#pending.length;
  }

  /** SHA-256 (hex) of every byte appended, after writing what is gathered. */
  async digest(): Promise<string> {
    await this.flush();
    return this.#hash.copy().digest('hex');
  }

  /** Appends after what was written; small chunks are gathered into batched writes (fewer system calls under load). */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.#pending.length + chunk.length > WRITE_BATCH) await this.#writePending();
    if (chunk.length >= WRITE_BATCH) {
      await this.#writeSealed(chunk);
      return;
    }
    this.#batch.set(chunk, this.#pending.length);
    this.#pending = this.#batch.subarray(0, this.#pending.length + chunk.length);
  }

  /** Writes what append() gathered and waits until every write (and its checkpoint) is done; reads call it first. */
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
    this.#hash.update(plain);
    const position = this.#written;
    this.#written += plain.length;
    const checkpoint = this.#resume === null ? null : this.#checkpointSlot(this.#written, this.#hash.copy().digest('hex'));
    await this.#settle();
    const handle = this.#handle;
    const write = (async () => {
      let at = 0;
      while (at < sealed.length) {
        const { bytesWritten } = await handle.write(sealed, at, sealed.length - at, DATA_OFFSET + position + at);
        at += bytesWritten;
      }
      // Only after the data: a slot never names bytes the OS was not given (a killed process loses neither).
      if (checkpoint !== null) await handle.write(checkpoint.bytes, 0, SLOT_BYTES, checkpoint.at);
    })();
    // Observed by the next #settle(); this only keeps a failure from counting as unhandled meanwhile.
    write.catch(() => undefined);
    this.#inflight = write;
  }

  /** The next checkpoint slot (alternating), sealed; the older slot stays intact while this one is written. */
  #checkpointSlot(length: number, prefix: string): { bytes: Buffer; at: number } {
    const resume = this.#resume as { spoolKey: Buffer; txId: string };
    this.#seq += 1;
    const checkpoint: Checkpoint = { seq: this.#seq, length, prefix, key: this.#key.toString('base64'), iv: this.#iv.toString('base64'), tx: resume.txId, announced: this.#announced };
    const sealed = sealSmall(resume.spoolKey, Buffer.from(JSON.stringify(checkpoint), 'utf8'), slotAad(this.#name));
    if (SLOT_MAGIC.length + 2 + sealed.length > SLOT_BYTES) throw new Error('spool checkpoint does not fit its slot');
    const bytes = Buffer.alloc(SLOT_BYTES);
    SLOT_MAGIC.copy(bytes, 0);
    bytes.writeUInt16BE(sealed.length, SLOT_MAGIC.length);
    sealed.copy(bytes, SLOT_MAGIC.length + 2);
    return { bytes, at: (this.#seq % 2) * SLOT_BYTES };
  }

  /** Drops every byte (a server that ignored Range sends the whole body again); a new data key is used from here. */
  async restart(): Promise<void> {
    await this.flush();
    await this.#dropAhead();
    await this.#handle.truncate(DATA_OFFSET);
    this.#written = 0;
    this.#resumedFrom = 0;
    this.#key = randomBytes(32);
    this.#iv = randomBytes(16);
    this.#hash = createHash('sha256');
    this.#writer = null;
    this.#cache = null;
  }

  async #dropAhead(): Promise<void> {
    const ahead = this.#ahead;
    this.#ahead = null;
    await ahead?.done.catch(() => undefined);
  }

  /** Reads ciphertext of data bytes [start, end) from the file into `into`. */
  async #readSealed(into: Buffer, start: number, end: number): Promise<void> {
    let at = 0;
    while (at < end - start) {
      const { bytesRead } = await this.#handle.read(into, at, end - start - at, DATA_OFFSET + start + at);
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
    this.#cache = null;
    this.#batch.fill(0);
    await this.#settle().catch(() => undefined);
    await this.#dropAhead();
    await this.#handle.close().catch(() => undefined);
  }

  /** Closes and deletes the spool (idempotent). */
  async dispose(): Promise<void> {
    if (this.#closed) return;
    await this.#close();
    await rm(this.path, { force: true });
  }
}
