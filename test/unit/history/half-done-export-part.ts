// A stand-in for the export's second worker that hands on rows of its own (not the log's) and then dies, as a part
// would that failed halfway: the export worker has written those rows already and must take them back before it
// does the second half itself.
import { parentPort, type MessagePort } from 'node:worker_threads';

parentPort?.once('message', (start: { port: MessagePort }) => {
  start.port.once('message', () => {
    const rows = Buffer.from(new SharedArrayBuffer(64 << 10)).fill('not a row of this log\r\n');
    start.port.postMessage({ kind: 'rows', data: rows.buffer, length: rows.length });
    // Gone a little later, so that the rows are taken before the port closes.
    setTimeout(() => process.exit(3), 50);
  });
});
