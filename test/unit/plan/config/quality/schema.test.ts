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

  it.each([
    ['npmRegistry: "https://ci-bot:npm_s3cr3tTOKEN@registry.example.com/"', "npmRegistry"],
    ['osvUrl: "https://osv:s3cr3tTOKEN@osv.example.com/v1/query"', "osvUrl"],
    ['npmRegistry: "https://:s3cr3tTOKEN@registry.example.com/"', "npmRegistry"],
    ['osvUrl: "http://s3cr3tTOKEN@osv.example.com/"', "osvUrl"],
  ])("refuses a registry URL that carries credentials (%s), never printing them", (line, key) => {
    const text = `quality:\n  audit:\n    ${line}\n`;
    expect(() => parseConfig(text)).toThrow(ConfigError);
    expect(() => parseConfig(text)).toThrow(
      new RegExp(`\`quality\\.audit\\.${key}\` carries credentials .*Fix: .*runner's own npm or pip configuration`),
    );
    let message = "";
    try {
      parseConfig(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toContain("s3cr3tTOKEN");
  });

  it.each([
    'npmRegistry: "https://ci-bot:s3cr3tTOKEN@registry.example.com/ x"',
    'osvUrl: "ftp://u:s3cr3tTOKEN@osv.example.com/"',
  ])("names a bad URL that carries credentials without them (%s)", (line) => {
    let message = "";
    try {
      parseConfig(`quality:\n  audit:\n    ${line}\n`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/not an http\(s\) URL|carries credentials/);
    expect(message).not.toContain("s3cr3tTOKEN");
  });

  it.each(["//evil.example.com/", "/\\evil.example.com/x", "//evil.example.com"])(
    "refuses an E2E page %j that leaves the frontend's host",
    (page) => {
      for (const check of ["a11y", "budgets", "visual"]) {
        const text = `quality:\n  ${check}:\n    pages: [${JSON.stringify(page)}]\n`;
        expect(() => parseConfig(text), check).toThrow(/holds a page that is not a path/);
      }
    },
  );

  it.each(["/", "/about", "/a/../b", "/search?q=x#top"])("takes an E2E page %j on the frontend's own host", (page) => {
    expect(parseConfig(`quality:\n  visual:\n    pages: [${JSON.stringify(page)}]\n`).quality.visual.pages).toEqual([
      page,
    ]);
  });

  it.each(["sast:\n    exclude", "sast:\n    allow", "secrets:\n    allow", "audit:\n    allow", "a11y:\n    allow"])(
    "refuses a list over 200 entries under %j, naming the bound (before: 20,000 excludes made one argument too long and the run exit 1 with a TypeError)",
    (key) => {
      const list = Array.from({ length: 201 }, (_, i) => `"dir${i}/**"`).join(", ");
      const text = `quality:\n  ${key}: [${list}]\n`;
      expect(() => parseConfig(text)).toThrow(ConfigError);
      expect(() => parseConfig(text)).toThrow(/holds 201 entries, more than 200\. Fix: /);
      expect(parseConfig(`quality:\n  ${key}: [${list.split(", ").slice(1).join(", ")}]\n`)).toBeDefined();
    },
  );

  it.each(['"a\\0b"', '"x\\e[2J"', '"line\\nbreak"', `"${"x".repeat(1001)}"`])(
    "refuses an entry %s with control characters or over 1000 characters",
    (entry) => {
      const text = `quality:\n  sast:\n    exclude: [${entry}]\n`;
      expect(() => parseConfig(text)).toThrow(ConfigError);
      expect(() => parseConfig(text)).toThrow(/holds an entry (with control characters|over 1000 characters)\. Fix: /);
    },
  );
});
