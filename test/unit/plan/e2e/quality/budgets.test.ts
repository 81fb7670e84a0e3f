import { describe, expect, it } from "vitest";
import { defaultE2eChecks } from "../../../../../ci/src/plan/config/quality/e2eChecks";
import { judgeBudgets as judgeBudgetsParts } from "../../../../../ci/src/plan/e2e/quality/budgets";
import { formatVerdict } from "../../../../../ci/src/flow/verdict";

/** The judgement with its line, as the flows give it. */
const judgeBudgets = (...a: Parameters<typeof judgeBudgetsParts>) => {
  const j = judgeBudgetsParts(...a);
  return { ...j, verdict: formatVerdict(j) };
};

const cfg = { ...defaultE2eChecks().budgets, enabled: true, performance: 50, lcpMs: 2500, cls: 0.1, totalKib: 500 };
const lhr = (score: number, lcp: number, cls: number, bytes: number) =>
  JSON.stringify({
    categories: { performance: { score } },
    audits: {
      "largest-contentful-paint": { numericValue: lcp },
      "cumulative-layout-shift": { numericValue: cls },
      "total-byte-weight": { numericValue: bytes },
    },
  });

describe("judgeBudgets", () => {
  it("passes a page within every budget, stating its figures", () => {
    const r = judgeBudgets(cfg, { "/": lhr(0.8, 991.3, 0, 153_235) });
    expect(r.verdict).toBe(
      "budgets: passed, every budget holds on 1 page(s) (/: performance 80, LCP 991 ms, CLS 0.000, 150 KiB)",
    );
  });

  it("fails each budget that is over, the first in the verdict and all in the details", () => {
    const r = judgeBudgets(cfg, { "/": lhr(0.4, 3000, 0.25, 2_200_000) });
    expect(r.status).toBe("failed");
    expect(r.verdict).toBe(
      "budgets: FAILED, /: performance 40 < 50 (+3 more) (/: performance 40, LCP 3000 ms, CLS 0.250, 2148 KiB)",
    );
    expect(r.details.slice(0, 4)).toEqual([
      "/: performance 40 < 50",
      "/: LCP 3000 ms > 2500 ms",
      "/: CLS 0.250 > 0.1",
      "/: total 2148 KiB > 500 KiB",
    ]);
  });

  it("fails a page Lighthouse could not measure or wrote nothing for", () => {
    const err = JSON.stringify({ runtimeError: { message: "ERRORED_DOCUMENT_REQUEST" } });
    expect(judgeBudgets(cfg, { "/": err }).verdict).toBe(
      "budgets: FAILED, Lighthouse failed on /: ERRORED_DOCUMENT_REQUEST",
    );
    expect(judgeBudgets(cfg, {}).verdict).toBe("budgets: FAILED, Lighthouse wrote no report for /");
  });

  // A figure that is no finite number compared false with every budget, so the page passed them all (h15e2e).
  it.each([
    ["a score that is text", { score: "x", lcp: 900, cls: 0, bytes: 1000 }],
    ["an LCP that is text", { score: 0.9, lcp: "fast", cls: 0, bytes: 1000 }],
    ["a byte weight that is null", { score: 0.9, lcp: 900, cls: 0, bytes: null }],
  ])("fails a page whose report holds %s, never passing it", (_, f) => {
    const text = JSON.stringify({
      categories: { performance: { score: f.score } },
      audits: {
        "largest-contentful-paint": { numericValue: f.lcp },
        "cumulative-layout-shift": { numericValue: f.cls },
        "total-byte-weight": { numericValue: f.bytes },
      },
    });
    expect(judgeBudgets(cfg, { "/": text }).verdict).toBe(
      "budgets: FAILED, Lighthouse measured no performance score, LCP, CLS or total bytes on /",
    );
  });
});
