// One import-bench measurement in a fresh process: a website-style ZipCrypto download inspected and imported into a new vault (read, decrypt with the ID, check, encrypt), as the app does. Prints one JSON line.
// Usage: node test/bench/lib/import-child.ts <zip file> <work dir> <national ID>
import { stat, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importCandidate, inspectCandidate } from '../../../electron/core/mydata/importer.ts';
import { openVault } from '../../../electron/core/vault/index.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';

const [file, work, id] = process.argv.slice(2);
if (file === undefined || work === undefined || id === undefined) {
  console.error('usage: import-child.ts <zip file> <work dir> <national ID>');
  process.exit(2);
}

const dir = join(work, `import-${process.pid}`);
await mkdir(dir, { recursive: true });
const clock = { now: () => new Date() };
const vault = await openVault({ dir: join(dir, 'vault'), protector: insecureTestProtector(), clock });
const size = (await stat(file)).size;
const candidate = { source: file, fileName: basename(file), size };
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const started = performance.now();
const inspection = await inspectCandidate(candidate);
if (!inspection.needsId) throw new Error('the bench download should ask for the ID');
const outcome = await importCandidate(candidate, inspection, {
  vault,
  history: { append: () => Promise.resolve() },
  clock,
  datasets: [],
  trust: { anchors: [], intermediates: [], signers: new Map() },
  expectSubjectIds: [],
  keepUnverified: false,
  demo: false,
  sessionSubject: null,
}, { id });
const ms = performance.now() - started;
lag.disable();
if (outcome.verdict !== 'unsigned' || outcome.stored.files.length === 0) throw new Error('the bench download was not imported');
vault.close();
await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify({ ms, bytes: outcome.stored.totalSize, sha256: outcome.sha256, lagP99Ms: lag.percentile(99) / 1e6 }));
