import { spawn } from "node:child_process";
import { join } from "node:path";
import { $ } from "zx";
import { ROOT } from "./example";

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** Run the host runner's CLI as a user would: `npm run pipeline -- <args>` (tsx scripts/pipeline.ts). */
export async function runPipeline(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return runScript("pipeline.ts", args, env);
}

/** Run one of scripts/ through tsx, as the server-side deploy runs serverDeploy.ts and serverRollback.ts. */
export async function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  const r = await $({
    cwd: ROOT,
    env,
    quiet: true,
    nothrow: true,
  })`${join(ROOT, "node_modules/.bin/tsx")} ${join(ROOT, "scripts", script)} ${args}`;
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
}

/** A host-runner command still running: its pid (leader of its own process group), output so far, and its end. */
export interface RunningCli {
  pid: number;
  output(): string;
  /** Resolve once the output matches `re` (rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** Send `sig` to the runner; throws with what it printed when it has already ended. */
  signal(sig: NodeJS.Signals): void;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Start the host runner's CLI as `runPipeline` does, in its own process group, so a test can signal it mid-run. */
export function startPipeline(args: string[], env: NodeJS.ProcessEnv = process.env): RunningCli {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/pipeline.ts"), ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((ok) =>
    child.on("close", (code, signal) => ok({ exitCode: code ?? 1, signal, stdout, stderr, output: stdout + stderr })),
  );
  return {
    pid: child.pid!,
    output: () => stdout + stderr,
    signal: (sig) => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `the run ended (exit ${child.exitCode ?? child.signalCode}) before ${sig}:\n${stdout}${stderr}`,
        );
      process.kill(child.pid!, sig);
    },
    done,
    waitFor: async (re, ms = 120_000) => {
      for (const end = Date.now() + ms; !re.test(stdout + stderr);) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`never saw ${re}:\n${stdout}${stderr}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

/** Run the Dagger deploy container's entry point on a request file, as the module does (scripts/deployRequest.ts). */
export async function runDeployRequest(file: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const r = await $({
    cwd: ROOT,
    env,
    quiet: true,
    nothrow: true,
  })`${join(ROOT, "node_modules/.bin/tsx")} ${join(ROOT, "scripts/deployRequest.ts")} ${file}`;
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
}
