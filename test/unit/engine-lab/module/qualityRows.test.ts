import { describe, expect, it } from "vitest";
import { FAST_RED, missing, qualityConfig } from "../../../../scripts/engine-lab/module/qualityRows";
import { parseConfig } from "../../../../ci/src/plan/config/parse";

describe("missing", () => {
  it("names the expected lines the output lacks, and passes when all are there", () => {
    expect(
      missing("sast: passed\nsecrets: passed, no secrets", ["secrets: passed, no secrets", /^sast: passed/m]),
    ).toBe(undefined);
    expect(missing("sast: passed", ["secrets: passed, no secrets"])).toBe("output lacks secrets: passed, no secrets");
  });

  it("fails on a value that must never show, without printing it", () => {
    const token = "ghp_notarealtokenbutshapedlikeone0000000";
    const out = missing(`${FAST_RED.join("\n")}\nGITHUB_TOKEN = "${token}"`, FAST_RED, [token]);
    expect(out).toBe("output holds a value it must never show (1 of them)");
    expect(out).not.toContain(token);
  });
});

describe("qualityConfig", () => {
  it("turns all six checks on, audit blocking against the given advisory server", () => {
    const c = parseConfig(qualityConfig("http://10.87.0.1:4000"));
    const q = c.quality;
    expect([q.sast, q.secrets, q.audit, q.a11y, q.budgets, q.visual].map((x) => x.enabled)).toEqual(
      Array(6).fill(true),
    );
    expect(q.audit).toMatchObject({ blocking: true, osvUrl: "http://10.87.0.1:4000/v1/query" });
  });
});
