import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { GITLEAKS_VERSION } from "../../../../ci/src/plan/images";
import { parseNpmAudit, parsePipAudit } from "../../../../ci/src/plan/quality/audit";
import { planQualityChecks } from "../../../../ci/src/plan/quality/checks";
import { eslintConfig, parseEslint } from "../../../../ci/src/plan/quality/sast";
import type { ScanOutput } from "../../../../ci/src/plan/quality/scan";
import { parseGitleaks } from "../../../../ci/src/plan/quality/secrets";
import { judge as judgeParts, qualityReport } from "../../../../ci/src/plan/quality/verdict";
import { formatVerdict } from "../../../../ci/src/flow/verdict";

/** The judgement with its line, as the flows give it. */
const judge = (...a: Parameters<typeof judgeParts>) => {
  const j = judgeParts(...a);
  return { ...j, verdict: formatVerdict(j) };
};

const ok = (stdout: string): ScanOutput => ({ exitCode: 0, stdout, stderr: "", seconds: 1 });
const bandit = (...r: [string, string, string, number][]) =>
  JSON.stringify({
    errors: [],
    results: r.map(([test_id, issue_severity, filename, line_number]) => ({
      test_id,
      issue_severity,
      filename,
      line_number,
      issue_text: "x",
    })),
  });
const eslint = (file: string, ruleId: string, line: number) =>
  JSON.stringify([{ file, messages: [{ ruleId, line, message: "m" }] }]);

describe("planQualityChecks", () => {
  it("plans nothing by default, and each enabled check's scans", () => {
    expect(planQualityChecks(parseConfig(undefined))).toEqual([]);
    const c = parseConfig(
      "quality:\n  sast: { enabled: true }\n  secrets: { enabled: true }\n  audit: { enabled: true }\n",
    );
    expect(planQualityChecks(c).map((p) => [p.check, p.blocking, p.scans.map((s) => s.tool)])).toEqual([
      ["sast", true, ["bandit", "eslint-security"]],
      ["secrets", true, ["gitleaks"]],
      ["audit", false, ["npm-audit", "pip-audit"]],
    ]);
  });

  it("scans a pull request's commits in the repository, and the whole source on a push", () => {
    const c = parseConfig("quality:\n  secrets: { enabled: true }\n");
    const range = { base: "abc", head: "def" };
    const pr = planQualityChecks(c, { event: "pull_request", range })[0].scans[0];
    expect([pr.tree, pr.steps[0].argv.slice(0, 3)]).toEqual(["repo", ["gitleaks", "git", "--log-opts=abc..def"]]);
    const push = planQualityChecks(c, { event: "push", range })[0].scans[0];
    expect([push.tree, push.steps[0].argv.slice(0, 2)]).toEqual(["source", ["gitleaks", "dir"]]);
    expect(push.steps[0].argv).toEqual(expect.arrayContaining(["--redact", "--report-path", "-"]));
    expect(push.image).toBe(`zricethezav/gitleaks:${GITLEAKS_VERSION}`);
  });

  it("pins gitleaks in scripts/setup.sh at the image's version", () => {
    const setup = readFileSync(join(import.meta.dirname, "../../../../scripts/setup.sh"), "utf8");
    expect(setup).toContain(`GITLEAKS_VERSION=${GITLEAKS_VERSION}`);
  });
});

describe("judge", () => {
  const sast = (yaml = "") => {
    const c = parseConfig(`quality:\n  sast:\n    enabled: true\n${yaml}`);
    return { c, p: planQualityChecks(c)[0] };
  };

  it("fails on a finding at the threshold, counts those below, and names file and line", () => {
    const { c, p } = sast();
    const r = judge(p, [ok(bandit(["B602", "HIGH", "./app/x.py", 5], ["B311", "LOW", "./app/y.py", 2])), ok("[]")], c);
    expect(r.status).toBe("failed");
    expect(r.verdict).toBe("sast: FAILED, 1 finding at or above medium: bandit B602 high backend/app/x.py:5 (1 below)");
  });

  it("ranks the ESLint rules on bandit's scale and applies failOn", () => {
    const { c, p } = sast("    failOn: high\n");
    const out = ok(eslint("lib/t.ts", "security/detect-non-literal-regexp", 3));
    expect(judge(p, [ok(bandit()), out], c).status).toBe("passed");
    const evil = ok(eslint("lib/t.ts", "security/detect-eval-with-expression", 3));
    expect(judge(p, [ok(bandit()), evil], c).verdict).toContain(
      "security/detect-eval-with-expression high frontend/lib/t.ts:3",
    );
  });

  it("allows a rule everywhere, or in one file only", () => {
    const out = ok(bandit(["B602", "HIGH", "./app/x.py", 5], ["B602", "HIGH", "./app/z.py", 1]));
    const one = sast("    allow: ['B602:backend/app/x.py']\n");
    expect(judge(one.p, [out, ok("[]")], one.c).verdict).toMatch(/1 finding .* backend\/app\/z\.py:1 \(1 allowed\)$/);
    const all = sast("    allow: [B602]\n");
    expect(judge(all.p, [out, ok("[]")], all.c).status).toBe("passed");
  });

  it("informs without failing when the check is not blocking", () => {
    const { c, p } = sast("    blocking: false\n");
    const r = judge(p, [ok(bandit(["B602", "HIGH", "./app/x.py", 5])), ok("[]")], c);
    expect(r.status).toBe("passed");
    expect(r.verdict).toMatch(/^sast: WARNING, 1 finding .*; informs only: quality\.sast\.blocking is false$/);
  });

  it("fails a blocking check whose tool broke, saying which", () => {
    const { c, p } = sast();
    const broken: ScanOutput = { exitCode: 1, stdout: "", stderr: "npm ERR! 404", failedStep: "install", seconds: 1 };
    const r = judge(p, [ok(bandit()), broken], c);
    expect(r.status).toBe("failed");
    expect(r.verdict).toContain("eslint-security: install failed (exit 1)");
  });

  it("keeps no secret value in the findings or the report, only file, line and rule", () => {
    const value = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const leak = [
      { RuleID: "github-pat", File: "a/b.py", StartLine: 3, Secret: value, Match: `T = "${value}"`, Line: value },
    ];
    const f = parseGitleaks(JSON.stringify(leak));
    expect(f).toEqual([
      { tool: "gitleaks", rule: "github-pat", severity: "high", file: "a/b.py", line: 3, message: "github-pat" },
    ]);
    const c = parseConfig("quality:\n  secrets: { enabled: true }\n");
    const r = judge(planQualityChecks(c)[0], [ok(JSON.stringify(leak))], c);
    expect(qualityReport(r) + r.verdict).not.toContain(value);
    expect(r.verdict).toBe("secrets: FAILED, 1 secret: gitleaks github-pat high a/b.py:3; values are never shown");
  });
});

describe("the tools' reports", () => {
  it("reads ESLint's parse failures as errors, and ignores other rules' messages", () => {
    const out = JSON.stringify([
      { file: "a.ts", messages: [{ ruleId: null, line: 1, message: "Parsing error", fatal: true }] },
      { file: "b.ts", messages: [{ ruleId: "react/x", line: 1, message: "Definition for rule" }] },
    ]);
    expect(parseEslint(out, "web")).toEqual({ findings: [], errors: ["web/a.ts:1: Parsing error"] });
  });

  it("tells an unreachable npm registry from another npm failure", () => {
    expect(
      parseNpmAudit('{"message":"405 Method Not Allowed - POST https://r/-/npm/v1/security/advisories/bulk"}', ".")
        .unreachable,
    ).toMatch(/^npm audit: 405/);
    expect(
      parseNpmAudit('{"error":{"code":"ENOLOCK","summary":"This command requires an existing lockfile."}}', ".").error,
    ).toMatch(/lockfile/);
  });

  it("names pip-audit's unreachable endpoint in a short line", () => {
    const tb = `Traceback\nrequests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: /v1/query (Caused by NewConnectionError("HTTPConnection(host='127.0.0.1', port=9): Failed to establish a new connection: [Errno 111] Connection refused"))`;
    expect(parsePipAudit("", tb, "backend").unreachable).toBe(
      "pip-audit: 127.0.0.1:9: Failed to establish a new connection: [Errno 111] Connection refused",
    );
  });

  it("writes an ESLint config that never reads the repository's, nor its inline comments", () => {
    const text = eslintConfig(["**/tests/**"]);
    expect(text).toContain("noInlineConfig: true");
    expect(text).toContain('"**/tests/**"');
  });
});
