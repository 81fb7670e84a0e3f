import { StageFailure } from "../../ci/src/plan/errors";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $, which, type ProcessPromise } from "zx";
import { repositoryEnv } from "../../ci/src/plan/env";
import type { ServiceNeed } from "../../ci/src/plan/job";
import { holdUntilExit } from "./interrupt";
import { repositoryArgv } from "./sandbox";

/** A service that did not start: names the service, the command and what it said. */
export class ServiceStartError extends StageFailure {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
  }
}

/** A running host service; `stop()` ends it and removes its data. */
export interface RunningService {
  alias: string;
  bin: string;
  port: number;
  stop(): Promise<void>;
}

/** Which candidate command provides the service here, or undefined when none is on PATH. */
export async function findServiceBin(svc: ServiceNeed, path: string): Promise<string | undefined> {
  for (const c of svc.host.candidates) {
    if (await which(c.bin, { nothrow: true, path })) return c.bin;
  }
  return undefined;
}

/**
 * Start a service's host command on a free loopback port and wait until it accepts connections. The command may come
 * from the repository's pipeline.yaml (`services.mongo.hostCommands`): it gets the allowed part of `env`, no secret.
 */
export async function startService(
  svc: ServiceNeed,
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<RunningService> {
  const bin = await findServiceBin(svc, env.PATH ?? "");
  const cmd = svc.host.candidates.find((c) => c.bin === bin);
  if (!cmd)
    throw new ServiceStartError(
      svc.alias,
      `${svc.alias}: no ${svc.host.candidates.map((c) => c.bin).join(" or ")} on PATH; ${svc.host.installHint}`,
    );
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `${svc.alias}-`));
  const args = cmd.args.map((a) => a.replaceAll("{port}", String(port)).replaceAll("{dataDir}", dataDir));
  let log = "";
  const proc: ProcessPromise = $({
    cwd: dataDir,
    env: repositoryEnv(env),
    quiet: true,
    nothrow: true,
    stdio: ["ignore", "pipe", "pipe"],
  })`${repositoryArgv([cmd.bin, ...args], dataDir)}`;
  proc.stdout.on("data", (d: Buffer) => (log += d));
  proc.stderr.on("data", (d: Buffer) => (log += d));
  let exited: number | null | undefined;
  void proc.then((r) => (exited = r.exitCode));
  const stop = async () => {
    release();
    if (exited === undefined) {
      await proc.kill("SIGTERM");
      // FerretDB drains for seconds after SIGTERM; a test database needs no drain.
      const killer = setTimeout(() => void proc.kill("SIGKILL").catch(() => {}), 1500);
      await proc.catch(() => {});
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  // A signal that ends the runner stops the service and removes its data folder first.
  const release = holdUntilExit(stop);
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (exited !== undefined || Date.now() > deadline) {
      await stop();
      const why = exited !== undefined ? `exited with code ${exited}` : `did not listen within ${timeoutMs / 1000}s`;
      const tail = log.trim().split("\n").slice(-5).join("\n");
      throw new ServiceStartError(
        svc.alias,
        `${svc.alias} service (${cmd.bin}) ${why} on 127.0.0.1:${port}${tail ? `:\n${tail}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { alias: svc.alias, bin: cmd.bin, port, stop };
}

/** The kernel's ephemeral port range: connect() takes the local port of every outgoing connection from it. */
export function ephemeralPorts(): { low: number; high: number } {
  const text = existsSync(PORT_RANGE) ? readFileSync(PORT_RANGE, "utf8") : "";
  const [low, high] = text.trim().split(/\s+/).map(Number);
  return low > 0 && high >= low ? { low, high } : { low: 32768, high: 60999 };
}

const PORT_RANGE = "/proc/sys/net/ipv4/ip_local_port_range";
/** The lowest port freePort hands out: above the well-known and registered ports most hosts already use. */
const FREE_PORT_FLOOR = 16384;

/**
 * A TCP port that was free on 127.0.0.1 a moment ago, for a process that binds it later. It is below the ephemeral
 * range, as a server's configured ports are: a port from listen(0) is inside it, so any outgoing connection made
 * meanwhile can hold it as its local end, and the later bind fails with EADDRINUSE (a staging slot's app that never
 * answers).
 */
export async function freePort(): Promise<number> {
  const { low } = ephemeralPorts();
  const span = low - FREE_PORT_FLOOR;
  for (let i = 0; span > 0 && i < 50; i++) {
    const port = FREE_PORT_FLOOR + Math.floor(Math.random() * span);
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

async function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

/** Listen on 127.0.0.1:port, close, and give the port that was bound. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => {
      const bound = (s.address() as { port: number }).port;
      s.close(() => resolve(bound));
    });
  });
}

/** True when something accepts a TCP connection on 127.0.0.1:port right now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: "127.0.0.1" });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}
