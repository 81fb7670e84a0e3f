import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertSender } from "../../../scripts/deploy/alerts";
import { freePort } from "../../../scripts/host/services";
import { runPipeline } from "../../support/cli";
import { webhookReceiver, type Receiver } from "../../support/webhookReceiver";

/** scripts/deploy/alerts.ts against real loopback webhooks: routing by severity, a down channel, no leak. */
describe("alertSender", () => {
  let ok: Receiver;
  let failing: Receiver;
  beforeAll(async () => {
    ok = await webhookReceiver();
    failing = await webhookReceiver(503);
  });
  afterAll(async () => {
    await ok.close();
    await failing.close();
  });

  it("sends each event to its severity's channels only", async () => {
    ok.got.length = 0;
    const send = alertSender(
      {
        ALERT_WEBHOOK_CRITICAL: `${ok.url}/c1\n${ok.url}/c2`,
        ALERT_WEBHOOK_WARNING: `${ok.url}/w`,
        ALERT_WEBHOOK_INFO: `${ok.url}/i`,
      },
      () => undefined,
    );
    await send({ kind: "rollback", text: "rolled back r2" });
    await send({ kind: "e2e-failed", text: "2 failed" });
    await send({ kind: "deploy-done", text: "deployed r3" });
    expect(ok.got.map((g) => [g.path, g.body.event, g.body.severity]).sort()).toEqual([
      ["/c1", "rollback", "critical"],
      ["/c2", "rollback", "critical"],
      ["/i", "deploy-done", "info"],
      ["/w", "e2e-failed", "warning"],
    ]);
    expect(ok.got.find((g) => g.path === "/i")!.body).toMatchObject({ text: "[info] deploy-done: deployed r3" });
  });

  it("turns a down channel into a warning on the warning channels, and never prints or sends a URL", async () => {
    ok.got.length = 0;
    const closed = await freePort();
    const critical = `${failing.url}/x?token="a b"&k=$HOME'q\nhttp://127.0.0.1:${closed}/y?s3cr=t $z`;
    const warning = `${ok.url}/warn?k=w a r n`;
    const lines: string[] = [];
    const send = alertSender({ ALERT_WEBHOOK_CRITICAL: critical, ALERT_WEBHOOK_WARNING: warning }, (l) =>
      lines.push(l),
    );
    await send({ kind: "health-failing", text: `probe of ${critical} failed` });
    const downs = ok.got.filter((g) => g.body.event === "webhook-down").map((g) => g.body.text);
    expect(downs.sort()).toEqual([
      expect.stringContaining("critical alert channel #1 (ALERT_WEBHOOK_CRITICAL) did not take an alert (HTTP 503)"),
      expect.stringContaining(
        "critical alert channel #2 (ALERT_WEBHOOK_CRITICAL) did not take an alert (ECONNREFUSED)",
      ),
    ]);
    expect(lines.filter((l) => l.startsWith("warning:"))).toHaveLength(2);
    const sent = failing.got.map((g) => g.raw).concat(ok.got.map((g) => g.raw));
    for (const secret of [...critical.split("\n"), warning, `$HOME'q`, "s3cr=t", "w a r n"]) {
      for (const text of [...lines, ...sent]) expect(text).not.toContain(secret);
    }
    expect(failing.got[0].body.text).toBe("[critical] health-failing: probe of *** failed");
  });

  it("`alert --event e2e-failed` routes a stage's event to the warning channels; an unknown event exits 2", async () => {
    ok.got.length = 0;
    const env = { ...process.env, ALERT_WEBHOOK_WARNING: `${ok.url}/w?k=$x y`, ALERT_WEBHOOK_CRITICAL: `${ok.url}/c` };
    const r = await runPipeline(["alert", "--event", "e2e-failed", "--text", "E2E: 2 failed on abc1234"], env);
    expect(r.exitCode, r.output).toBe(0);
    expect(ok.got.map((g) => [g.path, g.body.text])).toEqual([
      ["/w", "[warning] e2e-failed: E2E: 2 failed on abc1234"],
    ]);
    expect(r.output).not.toContain(ok.url);
    const bad = await runPipeline(["alert", "--event", "e2e-broke", "--text", "x"], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--event "e2e-broke" is not a pipeline event; use one of: rollback, /);
  }, 120_000);
});
