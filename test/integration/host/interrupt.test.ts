/**
 * SIGTERM, SIGINT, SIGHUP or SIGQUIT (Ctrl-\\) to the host runner alone (a cancelled job, a supervisor, `kill <pid>`,
 * a closed terminal) while it holds a service (the MongoDB stand-in of fast-tests and of the local E2E app) and a
 * server in a process group of its own (uvicorn, the Next server): each is stopped and its scratch folder removed
 * before the runner exits 128 + the signal.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canConnect } from "../../../scripts/host/services";

const ROOT = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "interrupt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start the config's MongoDB (the stand-in on this machine) and a `sleep` server as the runner does, then wait. */
const DRIVER = `
import { startService } from ${JSON.stringify(join(ROOT, "scripts/host/services.ts"))};
import { startBackground } from ${JSON.stringify(join(ROOT, "scripts/host/background.ts"))};
import { runnerEnv } from ${JSON.stringify(join(ROOT, "scripts/host/stage.ts"))};
import { planMongoService } from ${JSON.stringify(join(ROOT, "ci/src/plan/fastTests/mongo.ts"))};
import { parseConfig } from ${JSON.stringify(join(ROOT, "ci/src/plan/config/parse.ts"))};
const env = runnerEnv();
const mongo = await startService(planMongoService(parseConfig("")), env);
const server = startBackground("sleeper", ["sleep", "300"], process.cwd(), env);
console.log(JSON.stringify({ port: mongo.port, bin: mongo.bin, server: server.pid }));
setInterval(() => {}, 1000);
`;

/**
 * Whether a process of the group still runs. A zombie has stopped: the sandbox's init (scripts/host/sandbox.ts) is
 * reaped by PID 1 after bubblewrap exits, a moment later, and until then `kill(-pgid, 0)` still finds it.
 */
const alive = (pgid: number) =>
  readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .some((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, "utf8");
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(pgrp) === pgid && state !== "Z";
      } catch {
        return false;
      }
    });

describe("a signal to the host runner alone", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
    ["SIGHUP", 129],
    ["SIGQUIT", 131],
  ] as const)(
    "%s stops the service and the server it started, removes their folders, exits %i",
    async (sig, code) => {
      const tmp = mkdtempSync(join(dir, "tmp-"));
      const driver = join(dir, `driver-${sig}.mts`);
      writeFileSync(driver, DRIVER);
      // As `npm run pipeline` starts the runner: node itself with tsx's loader, no wrapper process to relay signals.
      const child = spawn(process.execPath, ["--import", "tsx", driver], {
        cwd: ROOT,
        env: { ...process.env, TMPDIR: tmp },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<[number | null, string | null]>((r) => child.once("exit", (c, s) => r([c, s])));
      const deadline = Date.now() + 60_000;
      while (!out.includes('"port"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const started = JSON.parse(out.split("\n").find((l) => l.startsWith("{"))!) as { port: number; server: number };
      expect(await canConnect(started.port)).toBe(true);
      expect(alive(started.server)).toBe(true);
      expect(readdirSync(tmp).filter((f) => f.startsWith("mongo-"))).toHaveLength(1);

      child.kill(sig);
      const [exitCode, signal] = await exited;
      try {
        expect([exitCode, signal], out).toEqual([code, null]);
        expect(await canConnect(started.port)).toBe(false);
        expect(alive(started.server)).toBe(false);
        expect(readdirSync(tmp).filter((f) => f.startsWith("mongo-"))).toEqual([]);
      } finally {
        if (alive(started.server)) process.kill(-started.server, "SIGKILL");
      }
    },
    90_000,
  );
});
