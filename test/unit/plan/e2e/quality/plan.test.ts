/**
 * judgeQuality over outputs the tools did not write as they write them: the quality job's files sit in the frontend,
 * where the app under test (repository code, still running) can rewrite them, and a tool cut off mid-write leaves half
 * a file. A judge that threw on one took the whole E2E run down before its report, record and notification were
 * written, leaving the last run's green status standing (h15e2e); now such a check is failed, naming why.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../../ci/src/plan/config/parse";
import { judgeQuality, planQuality, qualityOutputs } from "../../../../../ci/src/plan/e2e/quality/plan";
import type { Job } from "../../../../../ci/src/plan/job";

const c = parseConfig(`quality:
  a11y: { enabled: true }
  budgets: { enabled: true }
  visual: { enabled: true }
`);
const plan = planQuality(c.quality, { name: "e2e", steps: [], env: {} } as unknown as Job, "http://web", "/tools", [
  "npx",
  "playwright",
])!;
const [a11yFile, lighthouseFile, visualFile] = qualityOutputs(plan);

describe("judgeQuality", () => {
  it.each([
    ["not JSON", "{"],
    ["null", "null"],
    ["violations not a list", '{"violations": 5}'],
    ["a violation without nodes", '{"violations": [{"id": "x", "impact": "serious"}]}'],
    ["a node whose target is no list", '{"violations": [{"id": "x", "impact": "serious", "nodes": [{"target": 5}]}]}'],
  ])("fails a11y, never throws, on axe results that are %s", (_, text) => {
    const [a11y] = judgeQuality(plan, { [a11yFile]: text });
    expect(a11y).toMatchObject({ check: "a11y", status: "failed" });
    expect(a11y.headline).toMatch(/^a11y's output could not be read \(.+\)$/);
  });

  it.each([
    ["not JSON", "{"],
    ["null", "null"],
  ])("fails budgets, never throws, on a Lighthouse report that is %s", (_, text) => {
    const [, budgets] = judgeQuality(plan, { [lighthouseFile]: text });
    expect(budgets).toMatchObject({ check: "budgets", status: "failed" });
  });

  it.each([
    ["not JSON", "{"],
    ["suites not a list", '{"suites": 5}'],
    ["a spec whose tests are no list", '{"suites": [{"title": "q", "specs": [{"title": "visual /", "tests": 5}]}]}'],
  ])("fails visual, never throws, on a screenshot report that is %s", (_, text) => {
    const [, , visual] = judgeQuality(plan, { [visualFile]: text });
    expect(visual).toMatchObject({ check: "visual", status: "failed" });
  });

  it("judges the other checks as usual when one's output is garbled", () => {
    const lhr = JSON.stringify({
      categories: { performance: { score: 0.9 } },
      audits: {
        "largest-contentful-paint": { numericValue: 900 },
        "cumulative-layout-shift": { numericValue: 0 },
        "total-byte-weight": { numericValue: 150_000 },
      },
    });
    const [a11y, budgets] = judgeQuality(plan, { [a11yFile]: "{", [lighthouseFile]: lhr });
    expect(a11y.status).toBe("failed");
    expect(budgets.status).toBe("passed");
  });
});
