// Worker-thread side of the spool's crypto (download-spool-crypto.ts): seals the download's bytes with AES-CTR, keeps their SHA-256 and decrypts what the verifier reads, so hundreds of MiB never block the thread that answers the renderer.
import { parentPort } from 'node:worker_threads';
import { cipherAt, SpoolSealer } from './download-spool-cipher.ts';
import type { SpoolReply, SpoolRequest } from './download-spool-crypto.ts';

const sealer = new SpoolSealer();

/** The cipher's output is usually a buffer of its own: moved whole, or copied out when it is a view of a larger one. */
function movable(bytes: Buffer): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : new Uint8Array(bytes).buffer;
}

function answer(request: SpoolRequest): { reply: SpoolReply; transfer: ArrayBuffer[] } {
  switch (request.op) {
    case 'reset':
      sealer.reset(request.key, request.iv);
      return { reply: { kind: 'done', id: request.id }, transfer: [] };
    case 'seal': {
      const plain = new Uint8Array(request.buffer, 0, request.length);
      const { sealed, prefix } = sealer.seal(plain, request.prefix);
      const out = movable(sealed);
      return { reply: { kind: 'done', id: request.id, sealed: out, buffer: request.buffer, prefix }, transfer: [out, request.buffer] };
    }
    case 'decrypt': {
      const plain = movable(cipherAt(request.key, request.iv, request.offset, true).update(new Uint8Array(request.buffer, 0, request.length)));
      return { reply: { kind: 'done', id: request.id, plain, buffer: request.buffer }, transfer: [plain, request.buffer] };
    }
    case 'absorb':
      sealer.absorb(new Uint8Array(request.buffer, 0, request.length));
      return { reply: { kind: 'done', id: request.id, buffer: request.buffer }, transfer: [request.buffer] };
    case 'digest':
      return { reply: { kind: 'done', id: request.id, digest: sealer.digest() }, transfer: [] };
    default:
      throw new Error('not a spool crypto request');
  }
}

const port = parentPort;
if (port !== null) {
  port.on('message', (message: unknown) => {
    const request = message as SpoolRequest;
    const id = typeof message === 'object' && message !== null && typeof request.id === 'number' ? request.id : -1;
    try {
      const { reply, transfer } = answer(request);
      port.postMessage(reply, transfer);
    } catch (error) {
      port.postMessage({ kind: 'error', id, message: error instanceof Error ? error.message : String(error) } satisfies SpoolReply);
    }
  });
  port.postMessage({ kind: 'ready', id: -1 } satisfies SpoolReply);
}
