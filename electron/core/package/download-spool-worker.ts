// Worker-thread side of the spool's crypto (download-spool-crypto.ts): seals the download's bytes with AES-CTR and keeps their SHA-256, so hundreds of MiB never block the thread that answers the renderer.
import { parentPort } from 'node:worker_threads';
import { SpoolSealer } from './download-spool-cipher.ts';
import type { SpoolReply, SpoolRequest } from './download-spool-crypto.ts';

const sealer = new SpoolSealer();

function answer(request: SpoolRequest): { reply: SpoolReply; transfer: ArrayBuffer[] } {
  switch (request.op) {
    case 'reset':
      sealer.reset(request.key, request.iv);
      return { reply: { kind: 'done', id: request.id }, transfer: [] };
    case 'seal': {
      const plain = new Uint8Array(request.buffer, 0, request.length);
      const { sealed, prefix } = sealer.seal(plain, request.prefix);
      // The cipher's output is usually a buffer of its own; transfer it whole, or copy it out when it is a view.
      const out = sealed.byteOffset === 0 && sealed.byteLength === sealed.buffer.byteLength && sealed.buffer instanceof ArrayBuffer ? sealed.buffer : new Uint8Array(sealed).buffer;
      return { reply: { kind: 'done', id: request.id, sealed: out, buffer: request.buffer, prefix }, transfer: [out, request.buffer] };
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
