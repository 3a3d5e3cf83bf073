// The bench's shared types: a figure with its budget, and the function each test/bench/figures/*.ts file exports.

/** What a figure source returns; `ok` is computed by run.ts from `budget` and `better`. */
export type Measured = {
  value: number;
  unit: string;
  budget: number;
  /** Which side of the budget is good; 'lower' (the default) means ok when value <= budget. */
  better?: 'lower' | 'higher';
  /** One line on how it was measured, printed under the table. */
  note?: string;
  /**
   * Shown beside the figures with a budget but never fails the bench (e.g. a case kept in view so that nothing is
   * hidden, while the budget applies to a sibling figure).
   */
  reportOnly?: boolean;
};

/** One entry of bench-results.json. */
export type FigureResult = { value: number; unit: string; budget: number; ok: boolean };

export type BenchContext = {
  /** The repository root. */
  root: string;
  /** out/renderer, built. */
  rendererDir: string;
  /** Chromium to drive (Debian's /usr/bin/chromium unless CHROMIUM_PATH says otherwise). */
  chromiumPath: string;
};

/**
 * Every test/bench/figures/*.ts exports `measure`, returning figures keyed by their bench-results.json name
 * ("area.figure_unit", e.g. "renderer.initial_js_gzip_kib").
 */
export type FigureSource = (ctx: BenchContext) => Promise<Record<string, Measured>>;

export function isOk(figure: Measured): boolean {
  if (!Number.isFinite(figure.value)) return false;
  if (figure.reportOnly) return true;
  return (figure.better ?? 'lower') === 'lower' ? figure.value <= figure.budget : figure.value >= figure.budget;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
