// Crash-test child: appends history records in a loop and prints each acknowledged record id, until killed.
import { writeSync } from 'node:fs';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { KEY, entry } from './fixtures.ts';

const [dir, markPath] = process.argv.slice(2);
if (!dir || !markPath) throw new Error('usage: crash-child.ts <dir> <mark file>');
// The same mark key as crash-harness.ts (not imported: the harness pulls in the parent's spawn code).
const log = await HistoryLog.open({ dir, key: KEY, mark: { path: markPath, key: new Uint8Array(32).fill(5) } });
writeSync(1, `open ${log.count} ${log.openReport.torn_tail_dropped ? 'torn' : 'clean'}\n`);
for (let i = log.count; ; i++) {
  const r = await log.append(entry(i));
  // Printed only after append() resolved, i.e. after the durable write: this is the acknowledgement the parent checks.
  writeSync(1, `ack ${r.id}\n`);
}
