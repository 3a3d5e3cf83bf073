// A download being written to the spool, to be SIGKILLed: opens (takes up) the transaction's spool, appends the known
// byte stream from where it stopped in network-sized chunks, and prints `ack <bytes>` after each flush (acknowledged).
// Usage: node spool-kill-child.ts <dir> <spool key hex> <tx id> <stop at bytes>
import { EncryptedSpool } from '../../electron/core/package/download-spool.ts';
import { streamBytes } from './spool-kill.ts';

const [dir, keyHex, txId, stopAt] = process.argv.slice(2);
if (!dir || !keyHex || !txId || !stopAt) throw new Error('usage: spool-kill-child.ts <dir> <key hex> <tx id> <stop at>');
const spool = await EncryptedSpool.openFor(dir, Buffer.from(keyHex, 'hex'), txId);
process.stdout.write(`ready ${spool.resumedFrom}\n`);
const end = Number(stopAt);
let at = spool.resumedFrom;
let chunks = 0;
while (at < end) {
  // Chunk sizes as fetch delivers them (a few KiB to 64 KiB), flushes every few chunks as an idle checkpoint would.
  const size = Math.min(end - at, 4096 + ((at * 2654435761) % 61440));
  await spool.append(streamBytes(at, size));
  at += size;
  if (++chunks % 7 === 0) {
    await spool.flush();
    process.stdout.write(`ack ${spool.size}\n`);
  }
}
await spool.flush();
process.stdout.write(`ack ${spool.size}\ndone\n`);
// Stay alive until killed: the parent decides when the process ends.
setInterval(() => undefined, 1000);
