// `npm run lint:security`: electronegativity over the built app and the main/preload sources; fails on unreviewed MEDIUM+ findings.
// Exit codes: 0 clean (or only reviewed / below-threshold findings), 1 a finding fails the gate, 2 the scan could not be trusted.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, judge } from './electronegativity-report.ts';
import { REVIEWED_FINDINGS } from './electronegativity-reviewed.ts';
import { mainWindowOptions } from '../../electron/main/window.ts';
import {
  EXCLUDED_CHECKS,
  evaluateCsp,
  installedElectronVersion,
  scanStaged,
  stage,
  windowOptionsProbe,
} from './electronegativity-scan.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const THRESHOLD = 'MEDIUM';

function fail(message) {
  console.error(`lint:security: ${message}`);
  process.exit(2);
}

for (const required of ['out/main/index.js', 'out/preload/index.cjs', 'electron/main', 'electron/preload']) {
  if (!existsSync(path.join(root, required))) fail(`${required} is missing; run \`npm run build\` first.`);
}

const electronVersion = installedElectronVersion();
const targets = [
  // The code that ships: main, preload and renderer bundles as electron-vite emits them.
  { name: 'built', parts: [{ from: 'out', as: 'out' }] },
  // The sources, main and preload together so the global checks see both.
  {
    name: 'source',
    parts: [
      { from: 'electron/main', as: 'main' },
      { from: 'electron/preload', as: 'preload' },
    ],
    extras: [
      {
        as: 'main/window-options.probe.js',
        original: 'electron/main/window.ts (mainWindowOptions, as a literal)',
        content: windowOptionsProbe(
          mainWindowOptions({
            preloadPath: '/app/out/preload/index.cjs',
            startUrl: 'app://app/index.html',
            title: 'MyData Desktop',
            backgroundColor: '#ffffff',
          }),
        ),
      },
    ],
  },
];

const started = performance.now();
const findings = [];
const parseErrors = [];
for (const target of targets) {
  const staged = await stage(target.parts, target.extras);
  try {
    if (staged.scannable.length === 0) fail(`nothing to scan in ${target.parts.map((p) => p.from).join(', ')}`);
    const result = await scanStaged(target.name, staged, electronVersion);
    findings.push(...result.findings);
    parseErrors.push(...result.parseErrors);
    console.log(
      `scanned ${target.name}: ${staged.scannable.length} files, ${result.checks} checks, ` +
        `${result.findings.length} findings, ${Math.round(result.ms)} ms`,
    );
    for (const file of result.lowered) {
      console.log(`  note: ${file} uses syntax the tool cannot read; scanned after lowering to ES2017 (its line numbers refer to that text)`);
    }
  } finally {
    await staged.cleanup();
  }
}

// The CSP the app:// handler actually sends (see evaluateCsp for why the tool cannot see it).
const { CONTENT_SECURITY_POLICY } = await import('../../electron/main/security.ts');
if (typeof CONTENT_SECURITY_POLICY !== 'string' || CONTENT_SECURITY_POLICY.length === 0) {
  fail('electron/main/security.ts exports no CONTENT_SECURITY_POLICY to evaluate');
}
findings.push(...evaluateCsp('source', 'electron/main/security.ts', CONTENT_SECURITY_POLICY));

const gate = judge(findings, REVIEWED_FINDINGS, THRESHOLD);
const elapsed = performance.now() - started;

console.log('');
console.log(formatTable(gate.findings));
console.log('');

const reviewed = gate.findings.filter((f) => f.verdict === 'reviewed');
if (reviewed.length > 0) {
  console.log('Reviewed findings (test/tools/electronegativity-reviewed.ts):');
  for (const review of new Set(reviewed.map((f) => f.review))) {
    console.log(`  - ${review.check}: ${review.reason}\n    evidence: ${review.evidence.join(', ')}`);
  }
}
for (const review of gate.unusedReviews) {
  console.warn(`warning: reviewed entry for ${review.check} (${review.file}) matched nothing; remove it if the code is gone.`);
}
console.log(
  `Electron ${electronVersion}; excluded check(s): ${EXCLUDED_CHECKS.join(', ')} (needs the internet). ` +
    `Scan took ${(elapsed / 1000).toFixed(1)} s.`,
);

const fatal = parseErrors.filter((e) => !e.tolerable);
for (const error of parseErrors) {
  console.error(`${error.tolerable ? 'warning' : 'error'}: electronegativity could not parse ${error.file}: ${error.message}`);
}
if (fatal.length > 0) fail(`${fatal.length} file(s) were not scanned because they could not be parsed.`);

if (!gate.ok) {
  console.error(
    `lint:security: FAILED — ${gate.failures.length} finding(s) of ${THRESHOLD} severity or higher. ` +
      'Fix them, or if one is a genuine false positive, add a reviewed entry with the reason and the test that shows it.',
  );
  process.exit(1);
}
console.log(`lint:security: passed — no unreviewed finding of ${THRESHOLD} severity or higher.`);
