// Random-access readers for zip.js: a file on disk (read lazily), a byte slice of a parent, and a re-streamable nested entry.
import { open, type FileHandle } from 'node:fs/promises';
import { BlobReader, Reader, Uint8ArrayReader } from '@zip.js/zip.js';

/** Anything zip.js can read from: a size and random reads. */
export type RandomReader = Reader<unknown>;

/** What the verifier accepts: a path on disk, bytes already in memory, a Blob, or a ready zip.js reader (the download spool). */
export type PackageSource = string | Uint8Array | Blob | RandomReader;

/**
 * Positional reads from one open file handle (a file-backed Blob re-opens the file per slice, several times slower).
 * The handle is opened read-only; close() releases it.
 */
export class FileReader extends Reader<null> {
  readonly #path: string;
  #handle: FileHandle | null = null;
  constructor(path: string) {
    super(null);
    this.#path = path;
  }
  override async init(): Promise<void> {
    await this.#opened();
  }
  async #opened(): Promise<FileHandle> {
    if (this.#handle !== null) return this.#handle;
    const handle = await open(this.#path, 'r');
    this.#handle = handle;
    this.size = (await handle.stat()).size;
    return handle;
  }
  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const handle = await this.#opened();
    const end = Math.min(this.size, index + length);
    if (index >= end) return new Uint8Array(0);
    const out = new Uint8Array(end - index);
    let at = 0;
    while (at < out.length) {
      const { bytesRead } = await handle.read(out, at, out.length - at, index + at);
      if (bytesRead === 0) throw new Error('the file became shorter while it was being read');
      at += bytesRead;
    }
    return out;
  }
  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }
}

/** A path is read through one file handle; bytes and Blobs are read in place. */
export async function readerFor(source: PackageSource): Promise<RandomReader> {
  if (typeof source === 'string') {
    const reader = new FileReader(source);
    await reader.init();
    return reader;
  }
  if (source instanceof Uint8Array) return new Uint8ArrayReader(source);
  if (source instanceof Reader) {
    await source.init?.();
    return source;
  }
  return new BlobReader(source);
}

/** A window [start, start+size) of a parent reader: a stored, unencrypted nested zip is read in place, without copying. */
export class SliceReader extends Reader<null> {
  readonly #parent: RandomReader;
  readonly #start: number;
  constructor(parent: RandomReader, start: number, size: number) {
    super(null);
    this.#parent = parent;
    this.#start = start;
    this.size = size;
  }
  override async init(): Promise<void> {
    // Nothing to prepare; the parent is already initialised.
  }
  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, index + length);
    if (index >= end) return new Uint8Array(0);
    return this.#parent.readUint8Array(this.#start + index, end - index);
  }
}

/**
 * Random access over data that can only be streamed from its start (a compressed or encrypted nested zip).
 * `init()` streams it once and keeps only its tail (where the central directory is); later reads walk forward
 * through a fresh stream, and a read behind the current position restarts the stream. Entries are read in
 * offset order, so a verification pass costs two streams, and memory stays bounded by the tail plus one window.
 */
export class RestreamReader extends Reader<null> {
  readonly #open: () => ReadableStream<Uint8Array>;
  readonly #tailLimit: number;
  #tail = new Uint8Array(0);
  #tailStart = 0;
  #stream: ReadableStreamDefaultReader<Uint8Array> | null = null;
  /** Bytes kept behind and ahead of the stream position: [#windowStart, #windowStart + #window.length). */
  #window = new Uint8Array(0);
  #windowStart = 0;
  #restarts = 0;

  constructor(open: () => ReadableStream<Uint8Array>, size: number, tailLimit: number) {
    super(null);
    this.#open = open;
    this.size = size;
    this.#tailLimit = tailLimit;
  }

  /** How often the stream was started over (for tests and measurements). */
  get restarts(): number {
    return this.#restarts;
  }

  override async init(): Promise<void> {
    const keep = Math.min(this.size, this.#tailLimit);
    const tail = new Uint8Array(keep);
    let total = 0;
    const reader = this.#open().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (value.length >= keep) {
        tail.set(value.subarray(value.length - keep));
      } else {
        tail.copyWithin(0, value.length);
        tail.set(value, keep - value.length);
      }
    }
    if (total !== this.size) throw new Error(`nested archive size ${total} differs from the declared ${this.size}`);
    this.#tail = tail;
    this.#tailStart = this.size - keep;
  }

  close(): void {
    void this.#stream?.cancel().catch(() => undefined);
    this.#stream = null;
  }

  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, index + length);
    if (index >= end) return new Uint8Array(0);
    if (index >= this.#tailStart) return this.#tail.slice(index - this.#tailStart, end - this.#tailStart);
    const stream = this.#stream === null || index < this.#windowStart ? await this.#restart() : this.#stream;
    // Pull until the window covers [index, end); drop what lies well behind index to keep memory flat.
    while (this.#windowStart + this.#window.length < end) {
      const { done, value } = await stream.read();
      if (done) throw new Error('nested archive ended early');
      const keepFrom = Math.max(0, Math.min(index, this.#windowStart + this.#window.length) - 65_536 - this.#windowStart);
      const kept = this.#window.subarray(keepFrom);
      const next = new Uint8Array(kept.length + value.length);
      next.set(kept);
      next.set(value, kept.length);
      this.#window = next;
      this.#windowStart += keepFrom;
    }
    return this.#window.slice(index - this.#windowStart, end - this.#windowStart);
  }

  async #restart(): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    if (this.#stream !== null) {
      this.#restarts += 1;
      await this.#stream.cancel().catch(() => undefined);
    }
    this.#stream = this.#open().getReader();
    this.#window = new Uint8Array(0);
    this.#windowStart = 0;
    return this.#stream;
  }
}
