/**
 * A service's host command comes from the repository's pipeline.yaml (`services.mongo.hostCommands`), so it is
 * repository code: it starts with the allowed part of the runner's environment, never the runner's secrets.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ServiceNeed } from "../../../ci/src/plan/job";
import { ephemeralPorts, freePort, startService } from "../../../scripts/host/services";

const SECRETS: Record<string, string> = {
  STAGING_SSH_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----\nstaging "quoted" $HOME `id`\n-----END-----\n',
  GITHUB_TOKEN: "ghp_canary $(touch /tmp/pwned) value with spaces",
  CANARY_SECRET: 'can"ary $HOME val\nline2',
};

const dir = mkdtempSync(join(tmpdir(), "service-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A service whose command writes its environment as JSON, then listens on {port} as a database would. */
function probeService(out: string): ServiceNeed {
  const listen = `require("fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env)); require("net").createServer().listen(Number(process.argv[1]), "127.0.0.1")`;
  return {
    alias: "mongo",
    image: "mongo:7",
    port: 27017,
    env: {},
    host: { candidates: [{ bin: "node", args: ["-e", listen, "{port}"] }], installHint: "install node" },
  };
}

describe("startService", () => {
  it("starts a repository's service command without the runner's secrets, with PATH and HOME", async () => {
    const out = join(dir, "env.json");
    const running = await startService(probeService(out), { ...process.env, ...SECRETS });
    try {
      const seen = JSON.parse(readFileSync(out, "utf8")) as Record<string, string>;
      expect(seen.PATH).toBe(process.env.PATH);
      for (const name of Object.keys(SECRETS)) expect(seen, name).not.toHaveProperty(name);
      const text = JSON.stringify(seen);
      for (const v of Object.values(SECRETS)
        .flatMap((s) => s.split("\n"))
        .map((l) => l.trim())
        .filter(Boolean))
        expect(text).not.toContain(v);
    } finally {
      await running.stop();
    }
  }, 30_000);
});

/** Listen on 127.0.0.1:port; the error code when the bind fails, "" when it succeeds (then close). */
function tryListen(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve("")));
  });
}

/**
 * The loopback staging server reserves its slot ports at start and PM2 binds them minutes later; a port inside the
 * ephemeral range can meanwhile be the local end of any outgoing connection, and then the slot's app never listens.
 */
describe("freePort", () => {
  it("an outgoing connection's local port, from the ephemeral range, cannot be listened on while it is open", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const sock = connect((server.address() as { port: number }).port, "127.0.0.1");
    await once(sock, "connect");
    try {
      const { low, high } = ephemeralPorts();
      expect(sock.localPort).toBeGreaterThanOrEqual(low);
      expect(sock.localPort).toBeLessThanOrEqual(high);
      expect(await tryListen(sock.localPort!)).toBe("EADDRINUSE");
    } finally {
      sock.destroy();
      server.close();
    }
  });

  it("hands out ports below the ephemeral range that can be listened on", async () => {
    const { low } = ephemeralPorts();
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeLessThan(low);
      expect(port).toBeGreaterThanOrEqual(1024);
      expect(await tryListen(port), String(port)).toBe("");
    }
  });
});
