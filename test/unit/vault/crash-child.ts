// Child process for the crash-safety test: opens a vault and stores (and sometimes deletes) packages until killed.
// Prints "READY", then "COMMITTED <id> <n>" after each store resolves, and "DELETING <id>" / "DELETED <id>"
// before and after each delete.
import { openVault, type PackageMeta } from '../../../electron/core/vault/index.ts';
import { crashPackageFiles, fixedClock, insecureTestProtector, streamOf } from './helpers.ts';

const [dir, seedText, markFile] = process.argv.slice(2);
if (!dir || !seedText || !markFile) {
  process.stderr.write('usage: crash-child.ts <vault dir> <seed> <mark file>\n');
  process.exit(2);
}
const seed = Number(seedText);
const vault = await openVault({ dir, protector: insecureTestProtector(), clock: fixedClock, chunkSize: 4096, markFile });
process.stdout.write('READY\n');
const committed: string[] = [];
for (let n = 0; ; n++) {
  const tag = seed * 1000 + n;
  const meta: PackageMeta = { service: { id: `crash-${tag}`, name: 'crash test' }, source: 'download', providers: [] };
  const files = Object.entries(crashPackageFiles(tag)).map(([name, bytes]) => ({ name, stream: streamOf(bytes, 3000) }));
  const stored = await vault.store({ meta, files });
  process.stdout.write(`COMMITTED ${stored.id} ${tag}\n`);
  committed.push(stored.id);
  if (n % 3 === 2) {
    const victim = committed.shift() ?? '';
    process.stdout.write(`DELETING ${victim}\n`);
    await vault.delete(victim);
    process.stdout.write(`DELETED ${victim}\n`);
  }
}
