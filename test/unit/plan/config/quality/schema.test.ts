import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../../ci/src/plan/config/parse";

describe("parseConfig: the quality section", () => {
  it("keeps every check off by default, with fast-tests blocking on SAST and secrets once they are on", () => {
    const q = parseConfig(undefined).quality;
    expect([q.sast.enabled, q.secrets.enabled, q.audit.enabled]).toEqual([false, false, false]);
    expect([q.sast.blocking, q.secrets.blocking, q.audit.blocking]).toEqual([true, true, false]);
    expect(q.sast.failOn).toBe("medium");
    expect(q.audit).toMatchObject({ failOn: "high", failWhenUnreachable: false, allow: [] });
  });

  it("merges a partial quality section over the defaults, lists replacing theirs", () => {
    const c = parseConfig("quality:\n  sast:\n    enabled: true\n    allow: [B101]\n  audit:\n    failOn: critical\n");
    expect(c.quality.sast).toMatchObject({ enabled: true, blocking: true, failOn: "medium", allow: ["B101"] });
    expect(c.quality.audit).toMatchObject({ enabled: false, failOn: "critical" });
    expect(c.quality.secrets.enabled).toBe(false);
  });

  it.each([
    [
      "quality:\n  sats: {}\n",
      /`quality\.sats` is not a known key\. Fix: use one of: .*sast.*\(did you mean `sast`\?\)/,
    ],
    [
      "quality:\n  secrets:\n    alow: [x]\n",
      /`quality\.secrets\.alow` is not a known key.*\(did you mean `allow`\?\)/,
    ],
    [
      "quality:\n  sast:\n    failOn: meduim\n",
      /`quality\.sast\.failOn` is "meduim"\. Fix: use low or medium or high \(did you/,
    ],
    [
      "quality:\n  audit:\n    failOn: severe\n",
      /`quality\.audit\.failOn` is "severe"\. Fix: use low or moderate or high or crit/,
    ],
    [
      "quality:\n  audit:\n    enabled: yes please\n",
      /`quality\.audit\.enabled` must be true or false\. Fix: write it like enabled: true/,
    ],
    ["quality:\n  audit:\n    allow: GHSA-1\n", /`quality\.audit\.allow` must be a list of strings/],
  ])("refuses %j, naming the key and the fix", (text, message) => {
    expect(() => parseConfig(text)).toThrow(ConfigError);
    expect(() => parseConfig(text)).toThrow(message);
  });
});
