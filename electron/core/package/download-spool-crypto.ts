// The spool's crypto as its caller sees it: sealing, taking up and digesting run on a worker thread, in order, with buffers moved rather than copied; on the caller's thread when no worker can start.
import { Worker } from 'node:worker_threads';
import { cipherAt, SpoolSealer } from './download-spool-cipher.ts';

export type SpoolRequest =
  | { op: 'reset'; id: number; key: Uint8Array; iv: Uint8Array }
  | { op: 'seal'; id: number; buffer: ArrayBuffer; length: number; prefix: boolean }
  | { op: 'absorb'; id: number; buffer: ArrayBuffer; length: number }
  | { op: 'digest'; id: number }
  | { op: 'decrypt'; id: number; key: Uint8Array; iv: Uint8Array; offset: number; buffer: ArrayBuffer; length: number };

export type SpoolReply =
  | { kind: 'ready'; id: -1 }
  | { kind: 'done'; id: number; sealed?: ArrayBuffer; plain?: ArrayBuffer; buffer?: ArrayBuffer; prefix?: string | null; digest?: string }
  | { kind: 'error'; id: number; message: string };

/**
 * Buffers handed to seal() and absorb() must own their whole ArrayBuffer (see ownedBuffer()): they are moved to the
 * worker and come back in the result, for the caller to use again.
 */
export interface SpoolCrypto {
  reset(key: Uint8Array, iv: Uint8Array): Promise<void>;
  /** Encrypts the first `length` bytes of `buffer` as the next bytes of the file; `prefix` asks for the digest so far too. */
  seal(buffer: Buffer, length: number, prefix: boolean): Promise<{ sealed: Buffer; buffer: Buffer; prefix: string | null }>;
  /** Takes up the next `length` bytes of ciphertext already on disk into the digest and past the keystream. */
  absorb(buffer: Buffer, length: number): Promise<Buffer>;
  digest(): Promise<string>;
  /** Decrypts the first `length` bytes of `buffer`, ciphertext of the bytes from `offset` on (the verifier's reads). */
  decrypt(key: Uint8Array, iv: Uint8Array, offset: number, buffer: Buffer, length: number): Promise<{ plain: Buffer; buffer: Buffer }>;
  close(): Promise<void>;
}

/** A buffer that owns its whole memory, so it can be moved to another thread. */
export function ownedBuffer(size: number): Buffer {
  return Buffer.from(new ArrayBuffer(size));
}

/** Beside this module when running from source; the bundle's own entry `spool-crypto-worker.js` in the built app. */
export function defaultSpoolWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./download-spool-worker.ts', import.meta.url) : new URL('./spool-crypto-worker.js', import.meta.url);
}

class LocalCrypto implements SpoolCrypto {
  readonly #sealer = new SpoolSealer();
  reset(key: Uint8Array, iv: Uint8Array): Promise<void> {
    this.#sealer.reset(key, iv);
    return Promise.resolve();
  }
  seal(buffer: Buffer, length: number, prefix: boolean): Promise<{ sealed: Buffer; buffer: Buffer; prefix: string | null }> {
    return Promise.resolve({ ...this.#sealer.seal(buffer.subarray(0, length), prefix), buffer });
  }
  absorb(buffer: Buffer, length: number): Promise<Buffer> {
    this.#sealer.absorb(buffer.subarray(0, length));
    return Promise.resolve(buffer);
  }
  digest(): Promise<string> {
    return Promise.resolve(this.#sealer.digest());
  }
  decrypt(key: Uint8Array, iv: Uint8Array, offset: number, buffer: Buffer, length: number): Promise<{ plain: Buffer; buffer: Buffer }> {
    return Promise.resolve({ plain: cipherAt(key, iv, offset, true).update(buffer.subarray(0, length)), buffer });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

type Done = Extract<SpoolReply, { kind: 'done' }>;

class WorkerCrypto implements SpoolCrypto {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (reply: Done) => void; reject: (error: Error) => void }>();
  #next = 0;
  #failure: Error | null = null;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: SpoolReply) => {
      const waiter = this.#waiting.get(reply.id);
      if (waiter === undefined) return;
      this.#waiting.delete(reply.id);
      if (this.#waiting.size === 0) worker.unref();
      if (reply.kind === 'done') waiter.resolve(reply);
      else waiter.reject(new Error(reply.kind === 'error' ? reply.message : 'unexpected answer from the spool crypto worker'));
    });
    worker.on('error', (error: Error) => this.#fail(error));
    worker.on('exit', () => this.#fail(new Error('the spool crypto worker stopped')));
    // Idle, it must not keep the process alive; while a call waits, it must.
    worker.unref();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.values()) waiter.reject(this.#failure);
    this.#waiting.clear();
  }

  /** Posted at once, so the worker works through calls in the order they were made. */
  #call(request: SpoolRequest, transfer: ArrayBuffer[] = []): Promise<Done> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise<Done>((resolve, reject) => {
      this.#waiting.set(request.id, { resolve, reject });
      this.#worker.ref();
      try {
        this.#worker.postMessage(request, transfer);
      } catch (error) {
        // Nothing was posted (a buffer that cannot move, a worker gone): this call fails and its waiter goes.
        this.#waiting.delete(request.id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async reset(key: Uint8Array, iv: Uint8Array): Promise<void> {
    await this.#call({ op: 'reset', id: this.#next++, key, iv });
  }

  async seal(buffer: Buffer, length: number, prefix: boolean): Promise<{ sealed: Buffer; buffer: Buffer; prefix: string | null }> {
    const reply = await this.#call({ op: 'seal', id: this.#next++, buffer: movable(buffer), length, prefix }, [buffer.buffer as ArrayBuffer]);
    if (reply.sealed === undefined || reply.buffer === undefined) throw new Error('the spool crypto worker answered without the sealed bytes');
    return { sealed: Buffer.from(reply.sealed), buffer: Buffer.from(reply.buffer), prefix: reply.prefix ?? null };
  }

  async absorb(buffer: Buffer, length: number): Promise<Buffer> {
    const reply = await this.#call({ op: 'absorb', id: this.#next++, buffer: movable(buffer), length }, [buffer.buffer as ArrayBuffer]);
    if (reply.buffer === undefined) throw new Error('the spool crypto worker answered without the buffer');
    return Buffer.from(reply.buffer);
  }

  async digest(): Promise<string> {
    const reply = await this.#call({ op: 'digest', id: this.#next++ });
    if (typeof reply.digest !== 'string') throw new Error('the spool crypto worker answered without a digest');
    return reply.digest;
  }

  async decrypt(key: Uint8Array, iv: Uint8Array, offset: number, buffer: Buffer, length: number): Promise<{ plain: Buffer; buffer: Buffer }> {
    const reply = await this.#call({ op: 'decrypt', id: this.#next++, key, iv, offset, buffer: movable(buffer), length }, [buffer.buffer as ArrayBuffer]);
    if (reply.plain === undefined || reply.buffer === undefined) throw new Error('the spool crypto worker answered without the plain bytes');
    return { plain: Buffer.from(reply.plain), buffer: Buffer.from(reply.buffer) };
  }

  async close(): Promise<void> {
    this.#fail(new Error('the spool crypto worker was closed'));
    await this.#worker.terminate();
  }
}

function movable(buffer: Buffer): ArrayBuffer {
  if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength || !(buffer.buffer instanceof ArrayBuffer)) {
    throw new Error('a spool buffer must own its memory to be moved to the crypto worker');
  }
  return buffer.buffer;
}

const READY_TIMEOUT_MS = 10_000;

/**
 * The spool's crypto on a worker thread started from `workerUrl`, or on this thread when `workerUrl` is null or the
 * worker cannot start (its file missing, threads unavailable): the bytes are the same either way.
 */
export async function startSpoolCrypto(workerUrl: URL | null = defaultSpoolWorkerUrl(), readyTimeoutMs = READY_TIMEOUT_MS): Promise<SpoolCrypto> {
  if (workerUrl === null) return new LocalCrypto();
  let worker: Worker;
  try {
    worker = new Worker(workerUrl);
  } catch {
    return new LocalCrypto();
  }
  // Ready means its module loaded and listens; an error or exit before that means it never will.
  // A worker that neither answers nor fails (a start hung in module loading) must not hold every download: after
  // READY_TIMEOUT_MS the spool works on this thread instead.
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => settle(false), readyTimeoutMs);
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onFailure).off('exit', onFailure);
      resolve(ok);
    };
    const onMessage = (m: SpoolReply) => settle(m.kind === 'ready');
    const onFailure = () => settle(false);
    worker.on('message', onMessage).on('error', onFailure).on('exit', onFailure);
  });
  if (!ready) {
    worker.on('error', () => undefined);
    await worker.terminate().catch(() => undefined);
    return new LocalCrypto();
  }
  return new WorkerCrypto(worker);
}
