import { describe, expect, it } from "vitest";
import {
  alertChannels,
  alertPayload,
  channelDownText,
  routeAlert,
  SEVERITY_OF,
} from "../../../../ci/src/plan/deploy/alerts";

/** Webhook values a shell or a log could mangle: quotes, $, spaces, and a newline between two URLs. */
const NASTY = {
  ALERT_WEBHOOK_CRITICAL: `http://127.0.0.1:9/hook?t="a b"&x=$HOME'q\nhttp://127.0.0.1:9/second?token=s3cr$t`,
  ALERT_WEBHOOK_WARNING: "http://127.0.0.1:9/warn?k=w a r n",
};

describe("alertChannels", () => {
  it("reads one URL per line of each severity's variable; an unset one has none", () => {
    expect(alertChannels(NASTY)).toEqual({
      critical: [`http://127.0.0.1:9/hook?t="a b"&x=$HOME'q`, "http://127.0.0.1:9/second?token=s3cr$t"],
      warning: ["http://127.0.0.1:9/warn?k=w a r n"],
      info: [],
    });
  });
});

describe("routeAlert", () => {
  it("follows R-alerts: rollback and health critical, E2E and coverage warning, deploy done info", () => {
    const ch = alertChannels(NASTY);
    expect(routeAlert({ kind: "rollback", text: "" }, ch)).toEqual({ severity: "critical", urls: ch.critical });
    expect(SEVERITY_OF["health-failing"]).toBe("critical");
    expect(routeAlert({ kind: "e2e-failed", text: "" }, ch).severity).toBe("warning");
    expect(SEVERITY_OF["coverage-drop"]).toBe("warning");
    expect(SEVERITY_OF["webhook-down"]).toBe("warning");
    expect(routeAlert({ kind: "deploy-done", text: "" }, ch)).toEqual({ severity: "info", urls: [] });
  });
});

describe("never leaking a URL", () => {
  it("removes every webhook value, each of its lines and their encoded forms from a message", () => {
    const secrets = Object.values(NASTY);
    const lines = secrets.flatMap((s) => s.split("\n"));
    const text = `boom ${lines.join(" | ")} ${encodeURIComponent(lines[1])}`;
    const payload = alertPayload({ kind: "rollback", text }, "critical", secrets);
    for (const l of lines) {
      expect(payload.text).not.toContain(l);
      expect(payload.content).not.toContain(encodeURIComponent(l));
    }
    expect(payload).toMatchObject({ severity: "critical", event: "rollback" });
  });

  it("lets a force reason or a subject neither ping a channel nor hide a link (Slack escaped, Discord's mentions off)", () => {
    const text = "forced: <!here> see <https://evil.example/|INC-7> & @everyone";
    const payload = alertPayload({ kind: "deploy-done", text }, "info", []);
    expect(payload.text).toBe(
      "[info] deploy-done: forced: &lt;!here&gt; see &lt;https://evil.example/|INC-7&gt; &amp; @everyone",
    );
    expect(payload.content).toBe(`[info] deploy-done: ${text}`);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it("names a channel that is down by severity and number only", () => {
    expect(channelDownText("critical", 1, "ECONNREFUSED")).toBe(
      "the critical alert channel #2 (ALERT_WEBHOOK_CRITICAL) did not take an alert (ECONNREFUSED); the pipeline's result stands. Check that webhook.",
    );
  });
});
