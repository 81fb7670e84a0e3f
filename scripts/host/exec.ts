import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { $, which } from "zx";
import type { Step } from "../../ci/src/plan/job";
import { repositoryArgv } from "./sandbox";

/** What running one step gave. */
export interface StepOutcome {
  exitCode: number;
  output: string;
}

/** Runs one planned step in a directory with an env; the seam between the runner and the OS. */
export type StepExecutor = (
  step: Step,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onOutput: (chunk: string) => void,
) => Promise<StepOutcome>;

/** What one host process gave: its exit code and its two streams. */
export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The exit code of a process that could not start (the shell's "command not found or not executable"). */
export const CANNOT_START = 127;

/** Where a process's two streams go, chunk by chunk. */
export interface ProcessOutput {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
}

/**
 * Run argv (no shell) in cwd, streaming each chunk; a process that cannot start exits 127 saying why, never throws.
 * `shown` is the command that message names (the repository's own, when argv is it wrapped by the sandbox).
 */
export async function runProcess(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  on: ProcessOutput = {},
  shown: string[] = argv,
): Promise<ProcessResult> {
  const p = $({ cwd, env, quiet: true, nothrow: true, stdio: ["ignore", "pipe", "pipe"] })`${argv}`;
  // When spawn itself fails (E2BIG) the child has no streams: the result below says why.
  p.stdout?.on("data", (d: Buffer) => on.stdout?.(d.toString()));
  p.stderr?.on("data", (d: Buffer) => on.stderr?.(d.toString()));
  const r = await p;
  if (r.signal === null && (r.exitCode === null || r.exitCode < 0)) {
    const why = cannotStart(shown, cwd, r.message);
    on.stderr?.(why);
    return { exitCode: CANNOT_START, stdout: "", stderr: why };
  }
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Why argv could not start, with the fix; `message` is zx's ("spawn E2BIG", "spawn /usr/bin/bash ENOENT"). */
function cannotStart(argv: string[], cwd: string, message: string): string {
  const code = /\b(E[A-Z0-9]+)\b/.exec(message)?.[1] ?? "an unknown error";
  const cmd = argv[0] ?? "(no command)";
  const bytes = argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
  const fix =
    code === "E2BIG"
      ? `its ${argv.length} arguments are ${bytes} bytes, more than the system takes. Fix: shorten the lists the config passes to it`
      : code === "ENOENT" && !existsSync(cwd)
        ? `its working folder ${JSON.stringify(cwd)} does not exist. Fix: check the config's paths (frontend.path, backend.path)`
        : `${code}. Fix: check that ${cmd} is installed and runnable`;
  return `could not start ${cmd}: ${fix}\n`;
}

/**
 * Run a repository command as runProcess does, confined (scripts/host/sandbox.ts) so that it cannot look for the
 * runner's secrets. A command that is not there is said as runProcess says it, not as the sandbox's exec error.
 */
export async function runRepositoryProcess(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  on: ProcessOutput = {},
): Promise<ProcessResult> {
  if (!isRunnable(argv[0] ?? "", cwd, env.PATH ?? "")) return runProcess(argv, cwd, env, on);
  return runProcess(repositoryArgv(argv, cwd), cwd, env, on, argv);
}

/** Whether `cmd` names an executable file: a path (from cwd) when it holds a slash, else on PATH (zx's `which`). */
function isRunnable(cmd: string, cwd: string, path: string): boolean {
  return cmd !== "" && which.sync(cmd.includes("/") ? resolve(cwd, cmd) : cmd, { path, nothrow: true }) !== null;
}

/** Run a step (repository code) as a confined host process (argv, no shell), streaming its output. */
export const processExecutor: StepExecutor = async (step, cwd, env, onOutput) => {
  let output = "";
  const take = (s: string) => {
    output += s;
    onOutput(s);
  };
  const r = await runRepositoryProcess(step.argv, cwd, env, { stdout: take, stderr: take });
  return { exitCode: r.exitCode, output };
};

/** A recorded host command: what `--dry-run` prints instead of running it. */
export interface PlannedCommand {
  job: string;
  step: string;
  cwd: string;
  argv: string[];
}

/** Record steps instead of running them (`--dry-run`); every step "succeeds". */
export function dryRunExecutor(job: string, into: PlannedCommand[]): StepExecutor {
  return async (step, cwd) => {
    into.push({ job, step: step.name, cwd, argv: step.argv });
    return { exitCode: 0, output: "" };
  };
}
