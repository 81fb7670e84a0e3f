import { describe, expect, it } from "vitest";
import { defaultE2eChecks } from "../../../../../ci/src/plan/config/quality/e2eChecks";
import { judgeA11y as judgeA11yParts } from "../../../../../ci/src/plan/e2e/quality/a11y";
import { formatVerdict } from "../../../../../ci/src/flow/verdict";

/** The judgement with its line, as the flows give it. */
const judgeA11y = (...a: Parameters<typeof judgeA11yParts>) => {
  const j = judgeA11yParts(...a);
  return { ...j, verdict: formatVerdict(j) };
};

const cfg = { ...defaultE2eChecks().a11y, enabled: true };
const page = (...violations: { id: string; impact: string; targets: string[] }[]) =>
  JSON.stringify({
    page: "/",
    violations: violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: `help ${v.id}`,
      nodes: v.targets.map((t) => ({ target: [t] })),
    })),
  });

describe("judgeA11y", () => {
  it("fails on a critical violation, naming rule, page and element, and counts every impact", () => {
    const r = judgeA11y(cfg, {
      "/": page(
        { id: "image-alt", impact: "critical", targets: ["img"] },
        { id: "region", impact: "moderate", targets: ["p"] },
      ),
    });
    expect(r.status).toBe("failed");
    expect(r.verdict).toMatch(
      /^a11y: FAILED, 1 violation at or above serious: critical image-alt on \/ \(1×: img\): help image-alt \(1 critical, 0 serious, 1 moderate, 0 minor; 0 allowed/,
    );
  });

  it("passes violations below failOn, and fails them once failOn is lowered", () => {
    const pages = { "/": page({ id: "region", impact: "moderate", targets: ["p"] }) };
    expect(judgeA11y(cfg, pages).status).toBe("passed");
    expect(judgeA11y({ ...cfg, failOn: "moderate" }, pages).status).toBe("failed");
  });

  it("allows a whole rule by id, or one element by rule:selector, and counts what it allowed", () => {
    const pages = { "/": page({ id: "color-contrast", impact: "serious", targets: [".a", ".b"] }) };
    expect(judgeA11y({ ...cfg, allow: ["color-contrast"] }, pages).verdict).toContain("2 allowed");
    const one = judgeA11y({ ...cfg, allow: ["color-contrast:.a"] }, pages);
    expect(one.status).toBe("failed");
    expect(one.verdict).toContain("(1×: .b)");
    expect(judgeA11y({ ...cfg, allow: ["color-contrast:.a", "color-contrast:.b"] }, pages).status).toBe("passed");
  });

  it("fails a page axe wrote nothing for", () => {
    expect(judgeA11y(cfg, {}).verdict).toBe(
      "a11y: FAILED, axe wrote no results for / (see the quality run's output) (0 critical, 0 serious, 0 moderate, 0 minor; 0 allowed; pages /)",
    );
  });
});
