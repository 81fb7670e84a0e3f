import { StageFailure } from "../../ci/src/plan/errors";
import { $ } from "zx";
import { pinnedSshArgv } from "../../ci/src/plan/deploy/ssh";
import { shellQuote } from "../../ci/src/plan/shellQuote";

/** What a remote script gave. */
export interface RemoteResult {
  code: number;
  /** The signal that killed the local end (ssh or bash), if one did. */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Where the deploy tasks run their shell: over SSH from the pipeline, or on the server itself (scripts/serverDeploy.ts
 * by hand).
 */
export interface Remote {
  /** user@host:port, for messages. */
  where: string;
  /**
   * Run a bash script with positional args; `input` goes to its stdin (the only way secrets travel); `signal` kills
   * the local end (ssh or bash) when it fires.
   */
  run(script: string, args?: string[], input?: string, signal?: AbortSignal): Promise<RemoteResult>;
  /** rsync's `-e` shell and the destination prefix for a remote path. */
  rsync: { shell?: string; dest(path: string): string };
  /** The exact command a person types to run `cmd` there. */
  typed(cmd: string): string;
  /** End the shared connection, if any. */
  close(): Promise<void>;
}

/**
 * A remote step that exited non-zero: names the task and what the server said (never secrets: they only go to stdin).
 */
export class RemoteError extends StageFailure {
  constructor(
    readonly task: string,
    readonly where: string,
    readonly result: RemoteResult,
    hint = "",
  ) {
    const said = (result.stderr || result.stdout).trim().split("\n").slice(-6).join("\n");
    const how = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
    super(`${task} failed on ${where} (${how})${said ? `:\n${said}` : ""}${hint ? `\n${hint}` : ""}`);
  }
}

export { shellQuote };

export interface SshOptions {
  host: string;
  port: number;
  user: string;
  keyFile: string;
  knownHostsFile: string;
  /** A private dir for one multiplexed connection (ControlMaster), so each task costs no new handshake. */
  controlDir?: string;
  /**
   * The key and known_hosts to name in a command a person types: keyFile/knownHostsFile are often the run's temp
   * copies, gone once it ends, so every caller says which files outlive it (TargetSettings.typed).
   */
  typed: { keyFile: string; knownHostsFile: string };
}

/** ssh argv pinned to one known_hosts file: StrictHostKeyChecking=yes, no agent, no passwords, no ssh-keyscan. */
export function sshArgv(o: SshOptions): string[] {
  // The dir is this run's own, so a fixed short name suffices: `%C` (40 hex) pushed the socket's path past the
  // 108-byte limit under a deep TMPDIR.
  const control = o.controlDir ? ["ControlMaster=auto", `ControlPath=${o.controlDir}/cm`, "ControlPersist=60"] : [];
  return pinnedSshArgv(o, ["ServerAliveInterval=5", "ServerAliveCountMax=3", ...control]);
}

/** Run scripts on a server over SSH. */
export function sshRemote(o: SshOptions): Remote {
  const base = sshArgv(o);
  const login = `${o.user}@${o.host}`;
  return {
    where: `${login}:${o.port}`,
    async run(script, args = [], input, signal) {
      const remoteCmd = ["bash", "-c", script, "_", ...args].map(shellQuote).join(" ");
      // Its own process group: a Ctrl-C to ours must not cut a step (a route switch) midway; `signal` stops the
      // steps that are safe to stop.
      const r = await $({
        quiet: true,
        nothrow: true,
        input: input ?? "",
        signal,
        detached: true,
      })`${[...base, "--", login, remoteCmd]}`;
      return { code: r.exitCode ?? 1, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    },
    rsync: { shell: base.map(shellQuote).join(" "), dest: (p) => `${login}:${p}` },
    typed: (cmd) => [...pinnedSshArgv({ ...o, ...o.typed }), "--", login, cmd].map(shellQuote).join(" "),
    async close() {
      if (o.controlDir) await $({ quiet: true, nothrow: true })`${[...base, "-O", "exit", login]}`;
    },
  };
}

/**
 * Run scripts on this machine: the server itself, when scripts/serverDeploy.ts or scripts/serverRollback.ts is run by
 * hand.
 */
export function localRemote(): Remote {
  return {
    where: "localhost",
    async run(script, args = [], input, signal) {
      const r = await $({ quiet: true, nothrow: true, input: input ?? "", signal })`bash -c ${script} _ ${args}`;
      return { code: r.exitCode ?? 1, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    },
    rsync: { dest: (p) => p },
    typed: (cmd) => cmd,
    close: async () => {},
  };
}
