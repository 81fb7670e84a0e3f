import { describe, expect, it } from "vitest";
import { summarizeE2e } from "../../../../ci/src/plan/e2e/summary";
import { notificationText, shouldNotify, webhookPayload, webhookWarning } from "../../../../ci/src/plan/e2e/notify";
import { fail, flaky, pass, reportOf } from "../../../support/pwReport";

const red = summarizeE2e({
  suite: "smoke",
  mode: "playwright",
  modeReason: "x",
  shards: [{ index: 1, files: [], exitCode: 1, seconds: 3 }],
  report: reportOf({ "a.spec.ts": [pass("ok"), fail("broken"), flaky("wobbly")] }),
});
const green = summarizeE2e({
  suite: "smoke",
  mode: "playwright",
  modeReason: "x",
  shards: [{ index: 1, files: [], exitCode: 0, seconds: 3 }],
  report: reportOf({ "a.spec.ts": [pass("ok")] }),
});

describe("notificationText", () => {
  it("holds the counts, failed and flaky names, commit and report", () => {
    const t = notificationText(red, { commit: "abc1234", report: "/tmp/report/html/index.html" });
    expect(t).toMatch(/^❌ E2E smoke FAILED for commit abc1234\n/);
    expect(t).toContain("Playwright: 1 passed, 1 failed, 1 flaky, 0 skipped (1 shards, playwright)");
    expect(t).toContain("• a.spec.ts › a page › broken");
    expect(t).toMatch(/Flaky \(passed on retry\):\n• a\.spec\.ts › a page › wobbly/);
    expect(t).toMatch(/Report: \/tmp\/report\/html\/index\.html$/);
  });
});

describe("shouldNotify", () => {
  it("posts on failure always, on success only when asked", () => {
    expect(shouldNotify(red, false)).toBe(true);
    expect(shouldNotify(green, false)).toBe(false);
    expect(shouldNotify(green, true)).toBe(true);
  });
});

describe("webhookPayload", () => {
  it("uses `text` for Slack and a 2000-character `content` for Discord", () => {
    expect(webhookPayload("slack", "hi")).toEqual({ text: "hi" });
    expect(webhookPayload("discord", "x".repeat(3000)).content!.length).toBeLessThanOrEqual(2000);
  });

  it("lets a test's name neither ping a channel nor hide a link: Slack's <, > and & escaped, Discord's mentions off", () => {
    // A test title is repository text: `<!channel>` pings everyone in Slack, `<url|label>` is a link that hides its
    // target, and Discord pings `@everyone` unless allowed_mentions says otherwise.
    const text = "Failed:\n• <!channel> log in again at <https://evil.example/|the report> & @everyone";
    const slack = webhookPayload("slack", text);
    expect(slack.text).toBe(
      "Failed:\n• &lt;!channel&gt; log in again at &lt;https://evil.example/|the report&gt; &amp; @everyone",
    );
    expect(webhookPayload("discord", text)).toEqual({ content: text, allowed_mentions: { parse: [] } });
  });
});

describe("webhookWarning", () => {
  it("names the webhook kind and the secret's name, and says the result stands", () => {
    expect(webhookWarning("discord", "ECONNREFUSED")).toMatch(
      /Discord webhook did not take .*\(ECONNREFUSED\); the E2E result stands\. Check the DISCORD_WEBHOOK_URL secret/,
    );
  });
});
