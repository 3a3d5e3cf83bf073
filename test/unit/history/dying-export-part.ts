// A stand-in for the export's second worker that takes its port and its request, then dies: the export worker must
// notice (the port closes) and do every segment itself.
import { parentPort, type MessagePort } from 'node:worker_threads';

parentPort?.once('message', (start: { port: MessagePort }) => {
  start.port.once('message', () => {
    process.exit(3);
  });
});
