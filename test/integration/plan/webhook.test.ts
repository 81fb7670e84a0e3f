import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFailedPosts, WEBHOOK_TIMEOUT_SECONDS, webhookPostArgv } from "../../../ci/src/plan/webhook";
import { webhookReceiver, type Receiver } from "../../support/webhookReceiver";

/**
 * The script the Dagger runner's curl container runs, run here for real by sh and curl against loopback receivers:
 * every URL of the secret (one a line) gets the body, a failing one is named by position, and no URL is printed.
 */
describe("webhookPostArgv", () => {
  let ok: Receiver;
  let down: Receiver;
  let dir: string;
  beforeAll(async () => {
    [ok, down] = await Promise.all([webhookReceiver(200), webhookReceiver(500)]);
    dir = mkdtempSync(join(tmpdir(), "webhook-"));
    writeFileSync(join(dir, "payload.json"), JSON.stringify({ text: "hello" }));
  });
  afterAll(async () => {
    await Promise.all([ok.close(), down.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("posts the body to each URL, skips blank lines, and prints only the position and curl's exit of a failure", async () => {
    const urls = `${ok.url}/a\n\n  ${down.url}/b \r\n${ok.url}/c\n`;
    const [cmd, ...args] = webhookPostArgv(join(dir, "payload.json"));
    // Not spawnSync: the receivers answer on this process's event loop.
    const r = await promisify(execFile)(cmd, args, { env: { PATH: process.env.PATH, WEBHOOK_URL: urls } });
    expect(ok.got.map((g) => [g.path, g.body.text])).toEqual([
      ["/a", "hello"],
      ["/c", "hello"],
    ]);
    expect(down.got.map((g) => g.path)).toEqual(["/b"]);
    expect(parseFailedPosts(r.stdout)).toEqual([{ index: 2, why: "curl exit 22" }]);
    expect(r.stdout + r.stderr).not.toContain("127.0.0.1");
  });

  it("follows no redirect: a 307 to another host sends that host nothing, and the post counts as failed", async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => (res.writeHead(307, { location: `${ok.url}/stolen` }), res.end()));
    });
    await new Promise<void>((up) => server.listen(0, "127.0.0.1", up));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const [cmd, ...args] = webhookPostArgv(join(dir, "payload.json"));
      const r = await promisify(execFile)(cmd, args, { env: { PATH: process.env.PATH, WEBHOOK_URL: url } });
      expect(ok.got.filter((g) => g.path === "/stolen")).toEqual([]);
      expect(parseFailedPosts(r.stdout)).toEqual([{ index: 1, why: expect.stringMatching(/^curl exit \d+$/) }]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("bounds each post by the one webhook timeout and keeps the URL out of argv", () => {
    const script = webhookPostArgv().join(" ");
    expect(script).toContain(`-m ${WEBHOOK_TIMEOUT_SECONDS} `);
    expect(script).toContain('"$WEBHOOK_URL"');
  });
});
