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
  const r = await $({
    cwd: ROOT,
    env,
    quiet: true,
    nothrow: true,
  })`${join(ROOT, "node_modules/.bin/tsx")} ${join(ROOT, "scripts/pipeline.ts")} ${args}`;
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
}
