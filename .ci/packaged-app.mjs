// Prints the path of the executable `electron-builder --dir` made (release/<version>/<platform>-unpacked or mac*/),
// for the packaged-app journey (test/e2e/packaged.spec.ts reads it from MYDATA_PACKAGED_APP). Exit 1 when none is found.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const release = join(root, 'release', pkg.version);
const product = pkg.productName;

function found(path) {
  process.stdout.write(path);
  process.exit(0);
}

const dirs = existsSync(release) ? readdirSync(release) : [];
if (process.platform === 'darwin') {
  for (const dir of dirs.filter((d) => d.startsWith('mac'))) {
    const exe = join(release, dir, `${product}.app`, 'Contents', 'MacOS', product);
    if (existsSync(exe)) found(exe);
  }
} else if (process.platform === 'win32') {
  for (const dir of dirs.filter((d) => d.startsWith('win') && d.endsWith('unpacked'))) {
    const exe = join(release, dir, `${product}.exe`);
    if (existsSync(exe)) found(exe);
  }
} else {
  // Linux: the executable is named after the package (electron-builder's default); Chromium's helpers sit beside it.
  const helpers = new Set(['chrome-sandbox', 'chrome_crashpad_handler']);
  for (const dir of dirs.filter((d) => d.startsWith('linux') && d.endsWith('unpacked'))) {
    for (const name of readdirSync(join(release, dir))) {
      const path = join(release, dir, name);
      const stat = statSync(path);
      if (stat.isFile() && stat.mode & 0o111 && !helpers.has(name) && !/\.(so(\.\d+)*|pak|bin|dat|json)$/.test(name)) found(path);
    }
  }
}
process.stderr.write(`no packaged executable under ${release}: run \`npx electron-builder --dir\` first\n`);
process.exit(1);
