/** Judge Lighthouse's results against the performance budgets. Pure. */
import type { BudgetsConfig } from "../../config/quality/e2eChecks";
import { resultOf, type QualityJudged } from "./result";

/** The parts of a Lighthouse result (LHR) the budgets read. */
interface Lhr {
  runtimeError?: { message?: string };
  categories?: { performance?: { score: number | null } };
  audits?: Record<string, { numericValue?: number }>;
}

/** What one page measured. */
export interface PageFigures {
  page: string;
  performance: number;
  lcpMs: number;
  cls: number;
  totalKib: number;
}

/** The figures of one LHR, or why there are none. */
export function figuresOf(page: string, text: string): PageFigures | string {
  const lhr = JSON.parse(text) as Lhr;
  if (lhr.runtimeError?.message) return `Lighthouse failed on ${page}: ${lhr.runtimeError.message}`;
  // Only a finite number is a figure: text or null compares false with every budget, so the page would pass them all.
  const figure = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
  const score = figure(lhr.categories?.performance?.score);
  const n = (id: string) => figure(lhr.audits?.[id]?.numericValue);
  const [lcp, cls, bytes] = [n("largest-contentful-paint"), n("cumulative-layout-shift"), n("total-byte-weight")];
  if (score === undefined || lcp === undefined || cls === undefined || bytes === undefined)
    return `Lighthouse measured no performance score, LCP, CLS or total bytes on ${page}`;
  return {
    page,
    performance: Math.round(score * 100),
    lcpMs: Math.round(lcp),
    cls,
    totalKib: Math.round(bytes / 1024),
  };
}

/** Every budget on every page; a page Lighthouse wrote nothing for fails. */
export function judgeBudgets(cfg: BudgetsConfig, pages: Record<string, string | undefined>): QualityJudged {
  const problems: string[] = [];
  const failing: string[] = [];
  const measured: string[] = [];
  for (const page of cfg.pages) {
    const text = pages[page];
    const f = text === undefined ? `Lighthouse wrote no report for ${page}` : figuresOf(page, text);
    if (typeof f === "string") {
      problems.push(f);
      continue;
    }
    measured.push(
      `${page}: performance ${f.performance}, LCP ${f.lcpMs} ms, CLS ${f.cls.toFixed(3)}, ${f.totalKib} KiB`,
    );
    if (f.performance < cfg.performance) failing.push(`${page}: performance ${f.performance} < ${cfg.performance}`);
    if (f.lcpMs > cfg.lcpMs) failing.push(`${page}: LCP ${f.lcpMs} ms > ${cfg.lcpMs} ms`);
    if (f.cls > cfg.cls) failing.push(`${page}: CLS ${f.cls.toFixed(3)} > ${cfg.cls}`);
    if (f.totalKib > cfg.totalKib) failing.push(`${page}: total ${f.totalKib} KiB > ${cfg.totalKib} KiB`);
  }
  const r = resultOf("budgets", failing, `every budget holds on ${cfg.pages.length} page(s)`, problems, measured);
  return { ...r, details: [...r.details, ...measured] };
}
