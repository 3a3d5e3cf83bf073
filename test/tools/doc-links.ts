// Finds links and paths in the project's documentation and code comments that point outside the repository or to
// files that do not exist: Markdown links, `code` paths in Markdown, and relative or repository paths in comments.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface BadLink {
  file: string;
  line: number;
  target: string;
  problem: 'outside the repository' | 'does not exist' | 'names the private shared folder';
}

/** Top-level folders a path in prose may start from (resolved from the repository root). */
const ROOTED = /^(?:electron|renderer|test|resources|docs|\.ci|\.github)\//;
/** Made by the build, the tests or the packager: named in prose, never committed. */
const GENERATED = /^(?:out|release|screenshots|test-results|playwright-report|node_modules|coverage)(?:\/|$)/;
const SKIP_DIRS = new Set(['node_modules', 'out', 'release', '.git', 'screenshots', 'test-results', 'playwright-report', 'coverage', 'fixtures']);

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Strips what follows a path in prose: a fragment, a line number, trailing punctuation. */
function clean(target: string): string {
  return target.replace(/[#?].*$/, '').replace(/:\d+(?::\d+)?$/, '').replace(/[.,;:)\]]+$/, '');
}

function judge(root: string, file: string, line: number, raw: string, base: 'file' | 'root' | 'auto'): BadLink | null {
  const target = clean(raw);
  if (target === '' || /[*<>{}$|]/.test(target)) return null;
  if (/(^|\/)shared\/(?:ARCHITECTURE|STYLE|reference)/.test(target)) return { file, line, target: raw, problem: 'names the private shared folder' };
  const from = base === 'root' || (base === 'auto' && ROOTED.test(target)) ? root : path.dirname(path.join(root, file));
  const full = path.resolve(from, target);
  if (full !== root && !full.startsWith(root + path.sep)) return { file, line, target: raw, problem: 'outside the repository' };
  const rel = path.relative(root, full).split(path.sep).join('/');
  if (GENERATED.test(rel)) return null;
  if (!existsSync(full)) return { file, line, target: raw, problem: 'does not exist' };
  return null;
}

/** Markdown: every link target, and every `code` span that is a relative or repository path. */
export function checkMarkdown(root: string, file: string): BadLink[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const bad: BadLink[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const found = judge(root, file, lineOf(text, m.index), target, 'file');
    if (found) bad.push(found);
  }
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const token = m[1] ?? '';
    if (!(token.startsWith('./') || token.startsWith('../') || ROOTED.test(token))) continue;
    const found = judge(root, file, lineOf(text, m.index), token, 'auto');
    if (found) bad.push(found);
  }
  for (const m of text.matchAll(/\.\.\/shared\/[^\s)\]`'"]*|\/work\/shared[^\s)\]`'"]*/g)) bad.push({ file, line: lineOf(text, m.index), target: m[0], problem: 'names the private shared folder' });
  return dedupe(bad);
}

/** Source files: every comment's relative paths (./, ../) and repository paths (electron/…, test/…, docs/…). */
export function checkComments(root: string, file: string): BadLink[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const bad: BadLink[] = [];
  const variant = /\.(tsx|jsx)$/.test(file) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind !== ts.SyntaxKind.SingleLineCommentTrivia && kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const comment = scanner.getTokenText();
    const start = scanner.getTokenStart();
    for (const m of comment.matchAll(/(?<![\w@/.-])((?:\.{1,2}\/)+[\w@.\-/]+|(?:electron|renderer|test|resources|docs|\.ci|\.github)\/[\w@.\-/]+)/g)) {
      const token = m[1] ?? '';
      // "./" and "../" resolve from the comment's file; "electron/…" and the like from the repository root.
      const found = judge(root, file, lineOf(text, start + m.index), token, token.startsWith('.') && !token.startsWith('.ci/') && !token.startsWith('.github/') ? 'file' : 'root');
      if (found) bad.push(found);
    }
    for (const m of comment.matchAll(/\.\.\/shared\/[^\s)\]`'"]*|\/work\/shared[^\s)\]`'"]*/g)) bad.push({ file, line: lineOf(text, start + m.index), target: m[0], problem: 'names the private shared folder' });
  }
  return dedupe(bad);
}

function dedupe(list: BadLink[]): BadLink[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const key = `${b.file}:${b.line}:${b.target}:${b.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(root: string, rel: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, child, out);
    else out.push(child);
  }
}

/** Every bad link in README.md, docs/ and any other Markdown, and in the comments under electron/, renderer/, test/. */
export function checkRepository(root: string): BadLink[] {
  const files: string[] = [];
  walk(root, '', files);
  const bad: BadLink[] = [];
  for (const file of files) {
    if (file.endsWith('.md')) bad.push(...checkMarkdown(root, file));
    else if (/^(electron|renderer|test)\//.test(file) && /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(file)) bad.push(...checkComments(root, file));
  }
  return bad;
}
