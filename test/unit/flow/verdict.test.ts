/**
 * Every quality check's one line at once, from both tiers' flows over fake ports that answer with what the real
 * tools printed on the example app here (test/support/qualityOutputs.ts): green as it is, red on the planted
 * findings, and the advisory databases unreachable (one line, not failing unless configured).
 */
import { describe, expect, it } from "vitest";
import { e2eQualityFlow } from "../../../ci/src/flow/e2e";
import { qualityChecksFlow } from "../../../ci/src/flow/quality";
import { formatVerdict } from "../../../ci/src/flow/verdict";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { planQuality } from "../../../ci/src/plan/e2e/quality/plan";
import type { Job } from "../../../ci/src/plan/job";
import { planQualityChecks } from "../../../ci/src/plan/quality/checks";
import { e2eOutputs, scanOutput, type ScanCase } from "../../support/qualityOutputs";

const YAML = `quality:
  sast: { enabled: true, allow: ["B104:backend/app/__main__.py"] }
  secrets: { enabled: true }
  audit: { enabled: true, blocking: true }
  a11y: { enabled: true }
  budgets: { enabled: true, performance: 20, lcpMs: 10000, cls: 0.1, totalKib: 600 }
  visual: { enabled: true }
`;

/** All six lines, fast-tests' then E2E's, each from its tier's flow over fake ports. */
async function lines(yaml: string, scans: (name: string) => ScanCase, e2e: "green" | "red") {
  const c = parseConfig(yaml);
  const ran: string[] = [];
  const fast = await qualityChecksFlow(planQualityChecks(c), c, {
    runScan: async (s) => (ran.push(s.name), scanOutput(s.name, scans(s.name))),
    saveQualityReport: async () => undefined,
  });
  const base = { name: "e2e", steps: [], env: {} } as unknown as Job;
  const e2eOut = await e2eQualityFlow(
    planQuality(c.quality, base, "http://127.0.0.1:3000", "/tools", ["npx", "--no-install", "playwright"]),
    {
      runQuality: async () => ({ outputs: e2eOutputs(e2e), dir: "quality" }),
    },
  );
  const results = [...fast.results, ...(e2eOut.results ?? [])];
  return { ran, results, lines: results.map((r) => r.verdict) };
}

describe("formatVerdict", () => {
  it("labels a check passed, WARNING (findings that inform only) or FAILED, facts in brackets, remarks after", () => {
    const j = { check: "x", headline: "h", facts: [], remarks: [] };
    expect(formatVerdict({ ...j, status: "passed", warns: false })).toBe("x: passed, h");
    expect(formatVerdict({ ...j, status: "passed", warns: true, facts: ["a", "b"] })).toBe("x: WARNING, h (a; b)");
    expect(formatVerdict({ ...j, status: "failed", warns: true, remarks: ["r"] })).toBe("x: FAILED, h; r");
  });
});

describe("every check's verdict line, from the real tools' output", () => {
  it("is green on the example app as it is", async () => {
    const r = await lines(YAML, () => "clean", "green");
    expect(r.ran).toEqual(["sast-backend", "sast-frontend", "secrets", "audit-frontend", "audit-backend"]);
    expect(r.lines).toEqual([
      "sast: passed, no findings at or above medium (2 below; 1 allowed)",
      "secrets: passed, no secrets",
      "audit: passed, no advisories at or above high",
      "a11y: passed, no violations at or above serious (0 critical, 0 serious, 0 moderate, 0 minor; 0 allowed; pages /)",
      expect.stringMatching(
        /^budgets: passed, every budget holds on 1 page\(s\) \(\/: performance \d+, LCP \d+ ms, CLS 0\.000, \d+ KiB\)$/,
      ),
      "visual: passed, 1 page(s) match their baselines",
    ]);
    expect(r.results.map((x) => x.status)).toEqual(Array(6).fill("passed"));
  });

  it("is red on one planted finding of each kind, each line naming its finding", async () => {
    const r = await lines(YAML, () => "planted", "red");
    expect(r.lines).toEqual([
      "sast: FAILED, 2 findings at or above medium: bandit B602 high backend/app/planted.py:5; " +
        "eslint-security security/detect-eval-with-expression high frontend/lib/planted.ts:2 (3 below; 1 allowed)",
      "secrets: FAILED, 1 secret: gitleaks github-pat high backend/app/settings_local.py:3; values are never shown",
      "audit: FAILED, 2 advisories at or above high: npm-audit GHSA-35jh-r3h4-6jhm high frontend/package-lock.json; " +
        "pip-audit PYSEC-2018-28 high backend/uv.lock",
      'a11y: FAILED, 1 violation at or above serious: critical image-alt on / (1×: img[src$="pixel.png"]): ' +
        "Images must have alternative text (1 critical, 0 serious, 0 moderate, 0 minor; 0 allowed; pages /)",
      "budgets: FAILED, /: total 1694 KiB > 600 KiB (/: performance 94, LCP 801 ms, CLS 0.000, 1694 KiB)",
      "visual: FAILED, 1 page(s) differ from their baselines: / 7017 pixels (ratio 0.01 of all image pixels) are " +
        "different.: quality/results/quality-visual--debian-chromium/home-diff.png",
    ]);
    expect(r.results.map((x) => x.status)).toEqual(Array(6).fill("failed"));
  });

  it("only warns on the audit's findings when quality.audit.blocking is false", async () => {
    const r = await lines(YAML.replace("blocking: true", "blocking: false"), () => "planted", "red");
    expect(r.lines[2]).toMatch(/^audit: WARNING, 2 advisories .*; informs only: quality\.audit\.blocking is false$/);
    expect(r.results[2].status).toBe("passed");
  });

  const unreachable = (name: string): ScanCase => (name.startsWith("audit") ? "unreachable" : "clean");
  const UNREACHABLE =
    "advisory database unreachable: npm audit: request to http://127.0.0.1:42731/-/npm/v1/security/advisories/bulk " +
    "failed, reason: connect ECONNREFUSED 127.0.0.1:42731; advisory database unreachable: pip-audit: " +
    "127.0.0.1:42731: Failed to establish a new connection: [Errno 111] Connection refused";

  it("says in one line that the advisory databases are unreachable, and passes unless failWhenUnreachable", async () => {
    const r = await lines(YAML, unreachable, "green");
    expect(r.lines.slice(0, 3)).toEqual([
      "sast: passed, no findings at or above medium (2 below; 1 allowed)",
      "secrets: passed, no secrets",
      `audit: passed, no advisories at or above high (${UNREACHABLE}); ` +
        "not failing for that (quality.audit.failWhenUnreachable: false)",
    ]);
    expect(r.results.map((x) => x.status)).toEqual(Array(6).fill("passed"));
    const strict = await lines(
      YAML.replace("blocking: true", "blocking: true, failWhenUnreachable: true"),
      unreachable,
      "green",
    );
    expect(strict.lines[2]).toBe(`audit: FAILED, no advisories at or above high (${UNREACHABLE})`);
    expect(strict.results.map((x) => x.status)).toEqual(["passed", "passed", "failed", "passed", "passed", "passed"]);
  });
});
