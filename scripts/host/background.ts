import { spawn, type ChildProcess } from "node:child_process";
import { holdUntilExit } from "./interrupt";
import { repositoryArgv } from "./sandbox";

/** A long-running host process (a server) in its own process group, so `stop()` ends its children too. */
export interface BackgroundProcess {
  name: string;
  pid: number;
  /** The last output lines, for error messages. */
  tail(lines?: number): string;
  exited(): number | null | undefined;
  stop(): Promise<void>;
}

/**
 * Start argv (repository code: the app) in cwd with env, confined (./sandbox.ts) and detached into a new process
 * group; output is kept, not printed.
 */
export function startBackground(name: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv): BackgroundProcess {
  const [bin, ...args] = repositoryArgv(argv, cwd);
  const child: ChildProcess = spawn(bin, args, {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let code: number | null | undefined;
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const done = new Promise<void>((r) => child.once("exit", (c) => ((code = c), r())));
  child.once("error", (e) => {
    log += `\n${e.message}`;
    code = 127;
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    release();
    if (code !== undefined || child.pid === undefined) return;
    signal("SIGTERM");
    const killer = setTimeout(() => signal("SIGKILL"), 3000);
    await done;
    clearTimeout(killer);
    signal("SIGKILL");
  };
  // Its own process group gets no Ctrl-C: a signal that ends the runner stops it first.
  const release = holdUntilExit(stop);
  return {
    name,
    pid: child.pid ?? -1,
    tail: (n = 8) => log.trim().split("\n").slice(-n).join("\n"),
    exited: () => code,
    stop,
  };
}
