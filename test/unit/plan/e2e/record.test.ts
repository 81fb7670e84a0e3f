import { describe, expect, it } from "vitest";
import { promotionRecordOf, RECORD_SSH, recordWriteArgv } from "../../../../ci/src/plan/e2e/record";
import { summarizeE2e } from "../../../../ci/src/plan/e2e/summary";
import { checkPromotion } from "../../../../ci/src/plan/deploy/promotion";
import { NORMALISED_KEY } from "../../../../ci/src/plan/deploy/sshKey";
import { fail, flaky, pass, reportOf } from "../../../support/pwReport";

const sha = "a".repeat(40);
const run = (files: Parameters<typeof reportOf>[0], exitCode: number) =>
  summarizeE2e({
    suite: "smoke",
    mode: "playwright",
    modeReason: "",
    shards: [{ index: 1, files: [], exitCode, seconds: 1 }],
    report: reportOf(files),
    backend: { passed: 3, failed: 0, skipped: 0, failedTests: [], exitCode: 0 },
  });

describe("promotionRecordOf", () => {
  it("records a green run (flaky included) that deploy-production accepts", () => {
    const r = promotionRecordOf(
      run({ "a.spec.ts": [pass("x"), flaky("y")] }, 0),
      sha,
      "/r/index.html",
      new Date("2026-01-02T03:04:05Z"),
    );
    expect(r).toEqual({
      commit: sha,
      status: "passed",
      suite: "smoke",
      passed: 4,
      failed: 0,
      flaky: 1,
      finishedAt: "2026-01-02T03:04:05.000Z",
      report: "/r/index.html",
    });
    expect(checkPromotion(r, sha)).toEqual({ ok: true });
  });

  it("names staging's release and artifact digest when staging runs the recorded commit, else neither", () => {
    const green = run({ "a.spec.ts": [pass("x")] }, 0);
    const release = "20261129T201500Z-aaaaaaa";
    const artifact = `sha256:${"c".repeat(64)}`;
    const at = new Date("2026-01-02T03:04:05Z");
    expect(promotionRecordOf(green, sha, "/r", at, { release, commit: sha, artifact })).toMatchObject({
      release,
      artifact,
    });
    const other = promotionRecordOf(green, sha, "/r", at, { release, commit: "b".repeat(40), artifact });
    expect(other).not.toHaveProperty("artifact");
    expect(promotionRecordOf(green, sha, "/r", at, { release, commit: sha })).not.toHaveProperty("release");
  });

  it("records a red run that deploy-production refuses", () => {
    const r = promotionRecordOf(run({ "a.spec.ts": [fail("x")] }, 1), sha, "/r", new Date());
    expect(r.status).toBe("failed");
    expect(checkPromotion(r, sha).ok).toBe(false);
  });
});

describe("recordWriteArgv", () => {
  it("writes .dep/e2e/<sha>.json under DEPLOY_BASE atomically, over ssh pinned to the mounted known_hosts, from the mounted record", () => {
    const argv = recordWriteArgv(
      { name: "staging", host: "staging.example.com", port: 2222, user: "deploy", basePath: "/srv/app" },
      sha,
    );
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv.slice(3, 5)).toEqual(["sh", RECORD_SSH.key]);
    const [sh, c, script] = argv.slice(5);
    expect([sh, c]).toEqual(["sh", "-c"]);
    expect(script).toContain(`ssh -i ${NORMALISED_KEY} -p 2222 `);
    expect(script).toContain(` UserKnownHostsFile=${RECORD_SSH.knownHosts} `);
    expect(script).toContain(" StrictHostKeyChecking=yes ");
    expect(script).toContain(
      ` deploy@staging.example.com 'mkdir -p /srv/app/.dep/e2e && cat > /srv/app/.dep/e2e/${sha}.json.tmp && mv -f /srv/app/.dep/e2e/${sha}.json.tmp /srv/app/.dep/e2e/${sha}.json'`,
    );
    expect(script.endsWith(`< ${RECORD_SSH.record}`)).toBe(true);
  });

  it("refuses a short sha", () => {
    expect(() => recordWriteArgv({ name: "staging", host: "h", port: 22, user: "d", basePath: "/b" }, "abc")).toThrow(
      /not a full 40-hex commit sha/,
    );
  });
});
