import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planQualityChecks } from "../../../../ci/src/plan/quality/checks";
import { BANDIT_REPORT, parseBandit, planBanditScan } from "../../../../ci/src/plan/quality/sast";
import { SCRATCH, withScratch } from "../../../../ci/src/plan/quality/scan";
import { formatVerdict } from "../../../../ci/src/flow/verdict";
import { judge, qualityReport } from "../../../../ci/src/plan/quality/verdict";

// Made up here, shaped like the token the engine lab planted (bandit B105 quoted it in its issue_text and code).
const value = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
const b105 = JSON.stringify({
  errors: [],
  results: [
    {
      code: `2 \n3 GITHUB_TOKEN = "${value}"\n`,
      filename: "./app/settings_local.py",
      issue_severity: "LOW",
      issue_text: `Possible hardcoded password: '${value}'`,
      line_number: 3,
      test_id: "B105",
    },
  ],
});

describe("parseBandit", () => {
  it("keeps a hardcoded password's value out of the finding and the kept report", () => {
    const { findings } = parseBandit(b105, "backend");
    expect(findings).toEqual([
      expect.objectContaining({ rule: "B105", file: "backend/app/settings_local.py", line: 3 }),
    ]);
    expect(findings[0].message).toBe("Possible hardcoded password: '…'");
    const c = parseConfig("quality:\n  sast: { enabled: true, failOn: low }\n");
    const r = judge(
      planQualityChecks(c)[0],
      [
        { exitCode: 0, stdout: b105, stderr: "", seconds: 1 },
        { exitCode: 0, stdout: "[]", stderr: "", seconds: 1 },
      ],
      c,
    );
    expect(r.status).toBe("failed");
    expect(qualityReport({ ...r, verdict: formatVerdict(r) })).not.toContain(value);
  });
});

describe("planBanditScan", () => {
  it("writes bandit's report to a file under the scratch directory, never to stdout (dagger call prints stdout)", () => {
    const scan = planBanditScan(parseConfig(""));
    expect(scan.report).toBe(BANDIT_REPORT);
    expect(BANDIT_REPORT.startsWith(`${SCRATCH}/`)).toBe(true);
    const argv = scan.steps[0].argv;
    expect(argv.slice(argv.indexOf("-o"), argv.indexOf("-o") + 2)).toEqual(["-o", BANDIT_REPORT]);
    expect(withScratch(scan, "/scratch").report).toBe("/scratch/bandit.json");
  });
});
