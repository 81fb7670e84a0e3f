import { $ } from "zx";
import type { Step } from "../../ci/src/plan/job";

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

/** Run a step as a real host process (argv, no shell), streaming its output. */
export const processExecutor: StepExecutor = async (step, cwd, env, onOutput) => {
  let output = "";
  const p = $({ cwd, env, quiet: true, nothrow: true, stdio: ["ignore", "pipe", "pipe"] })`${step.argv}`;
  const take = (d: Buffer) => {
    const s = d.toString();
    output += s;
    onOutput(s);
  };
  p.stdout.on("data", take);
  p.stderr.on("data", take);
  const r = await p;
  return { exitCode: r.exitCode ?? 1, output };
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
