// A stand-in for the export's second worker that claims segments of the log (as a part does, from the counter both
// threads share) and then dies without handing any over: the exporting thread must notice and do them itself.
import { parentPort, type MessagePort } from 'node:worker_threads';

parentPort?.once('message', (start: { port: MessagePort }) => {
  start.port.once('message', (job: { claim: Int32Array }) => {
    Atomics.add(job.claim, 0, 2);
    process.exit(3);
  });
});
