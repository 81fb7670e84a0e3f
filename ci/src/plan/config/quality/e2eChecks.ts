/**
 * The E2E tier's quality checks (accessibility, performance budgets, visual regression): their settings, defaults and
 * schema. They run against the deployed app after the Playwright shards; a failure marks E2E red (promotion blocked),
 * and, like any E2E result, never rolls staging back.
 */

/** axe-core's impacts, lowest first. */
export const A11Y_IMPACTS = ["minor", "moderate", "serious", "critical"] as const;
export type A11yImpact = (typeof A11Y_IMPACTS)[number];

/** axe on the pages: a violation at or above failOn fails, unless allowed. */
export interface A11yConfig {
  enabled: boolean;
  failOn: A11yImpact;
  /** Paths under the frontend's URL, e.g. `/`. */
  pages: string[];
  /** Known issues: an axe rule id (`color-contrast`), or `rule:selector` for one element. */
  allow: string[];
}

/** Lighthouse (performance only) on the pages: every budget must hold on every page. */
export interface BudgetsConfig {
  enabled: boolean;
  pages: string[];
  /** Minimum performance score, 0..100. */
  performance: number;
  /** Maximum Largest Contentful Paint, milliseconds. */
  lcpMs: number;
  /** Maximum Cumulative Layout Shift. */
  cls: number;
  /** Maximum bytes the page transfers, in KiB. */
  totalKib: number;
}

/** toHaveScreenshot on the pages against baselines committed under `baselines` (relative to frontend.path). */
export interface VisualConfig {
  enabled: boolean;
  pages: string[];
  baselines: string;
  /** The share of pixels that may differ, 0..1. */
  maxDiffPixelRatio: number;
  /** Selectors painted over before the comparison (clocks, random data): the visual allow-list. */
  mask: string[];
}

export interface E2eChecksConfig {
  a11y: A11yConfig;
  budgets: BudgetsConfig;
  visual: VisualConfig;
}

export function defaultE2eChecks(): E2eChecksConfig {
  return {
    a11y: { enabled: false, failOn: "serious", pages: ["/"], allow: [] },
    budgets: { enabled: false, pages: ["/"], performance: 80, lcpMs: 4000, cls: 0.1, totalKib: 1024 },
    visual: { enabled: false, pages: ["/"], baselines: "e2e/__screenshots__", maxDiffPixelRatio: 0.001, mask: [] },
  };
}
