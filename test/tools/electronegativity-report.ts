// Pure logic of the security scan gate: normalise electronegativity's issues, match reviewed findings, decide, format.

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ['TENTATIVE', 'FIRM', 'CERTAIN'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** The issue object electronegativity's runner returns (dist/runner.js, `run(options, false)`). */
export type RawIssue = {
  id: string;
  file: string;
  location?: { line?: number; column?: number };
  severity: { name: string };
  confidence: { name: string };
  sample?: string | null;
  description: string;
  manualReview?: boolean;
};

export type Finding = {
  /** Which scan produced it, e.g. "built" (out/) or "source" (electron/main + electron/preload). */
  target: string;
  check: string;
  severity: Severity;
  confidence: Confidence;
  /** Repository path of the flagged file, or "N/A" for whole-application (global) findings. */
  file: string;
  line: number;
  column: number;
  sample: string;
  description: string;
  manualReview: boolean;
};

/**
 * A finding a person has read and judged acceptable for this code, with the reason and the tests that back it.
 * Matching is on check + file + a piece of the flagged source line, so a changed line is flagged again and
 * must be reviewed again; there is no way to silence a whole check.
 */
export type ReviewedFinding = {
  check: string;
  file: RegExp;
  /** Must occur in the flagged line; omitted only for global findings (file "N/A"), which have no line. */
  sampleIncludes?: string;
  reason: string;
  evidence: readonly string[];
};

export type Verdict = 'fail' | 'reviewed' | 'below-threshold';
export type JudgedFinding = Finding & { verdict: Verdict; review?: ReviewedFinding };

export type GateResult = {
  findings: JudgedFinding[];
  failures: JudgedFinding[];
  /** Reviewed entries that matched nothing in this run: the code they excused has changed or gone. */
  unusedReviews: ReviewedFinding[];
  ok: boolean;
};

export class ReportFormatError extends Error {
  override name = 'ReportFormatError';
}

function asSeverity(name: string): Severity {
  const upper = name.toUpperCase();
  const found = SEVERITIES.find((s) => s === upper);
  if (!found) throw new ReportFormatError(`unknown severity "${name}"`);
  return found;
}

function asConfidence(name: string): Confidence {
  const upper = name.toUpperCase();
  const found = CONFIDENCES.find((c) => c === upper);
  if (!found) throw new ReportFormatError(`unknown confidence "${name}"`);
  return found;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Turns the runner's issues into findings; anything that is not shaped as expected is an error, not a pass. */
export function normaliseIssues(target: string, raw: unknown): Finding[] {
  if (!Array.isArray(raw)) throw new ReportFormatError('electronegativity returned no issue list');
  return raw.map((item: unknown, index): Finding => {
    const issue = item as Partial<RawIssue> | null;
    if (
      !issue ||
      typeof issue.id !== 'string' ||
      typeof issue.file !== 'string' ||
      typeof issue.severity?.name !== 'string' ||
      typeof issue.confidence?.name !== 'string'
    ) {
      throw new ReportFormatError(`issue #${index} is malformed: ${JSON.stringify(item)}`);
    }
    return {
      target,
      check: issue.id,
      severity: asSeverity(issue.severity.name),
      confidence: asConfidence(issue.confidence.name),
      file: issue.file.split('\\').join('/'),
      line: issue.location?.line ?? 0,
      column: issue.location?.column ?? 0,
      sample: typeof issue.sample === 'string' ? issue.sample : '',
      description: typeof issue.description === 'string' ? issue.description : '',
      manualReview: issue.manualReview === true,
    };
  });
}

function matches(review: ReviewedFinding, finding: Finding): boolean {
  if (review.check !== finding.check || !review.file.test(finding.file)) return false;
  if (review.sampleIncludes === undefined) return finding.file === 'N/A';
  return finding.sample.includes(review.sampleIncludes);
}

/** The gate: every finding at or above `threshold` fails unless a reviewed entry matches it exactly. */
export function judge(
  findings: readonly Finding[],
  reviewed: readonly ReviewedFinding[],
  threshold: Severity = 'MEDIUM',
): GateResult {
  const used = new Set<ReviewedFinding>();
  const judged = findings.map((finding): JudgedFinding => {
    if (severityRank(finding.severity) < severityRank(threshold)) return { ...finding, verdict: 'below-threshold' };
    const review = reviewed.find((r) => matches(r, finding));
    if (!review) return { ...finding, verdict: 'fail' };
    used.add(review);
    return { ...finding, verdict: 'reviewed', review };
  });
  const failures = judged.filter((f) => f.verdict === 'fail');
  return {
    findings: judged,
    failures,
    unusedReviews: reviewed.filter((r) => !used.has(r)),
    ok: failures.length === 0,
  };
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** A plain-text table, most severe first, for the terminal and CI logs. */
export function formatTable(findings: readonly JudgedFinding[]): string {
  if (findings.length === 0) return 'No findings.';
  const label: Record<Verdict, string> = { fail: 'FAIL', reviewed: 'reviewed', 'below-threshold': 'info' };
  const rows = [...findings]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.check.localeCompare(b.check))
    .map((f) => [
      label[f.verdict],
      f.severity,
      f.confidence,
      f.check,
      f.file === 'N/A' ? `${f.target} (whole app)` : `${f.file}:${f.line}:${f.column}`,
      clip(f.sample || f.description, 70),
    ]);
  const header = ['verdict', 'severity', 'confidence', 'check', 'where', 'flagged'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
