/** fast-tests, frontend-checks, backend-tests: the fast-tests stage, or one of its two jobs. */
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { readConfig } from "../config";
import { runFastTests, type FastTestsFlags } from "../fastTests";
import { sourceAndConfig, withSourceAndConfig, type SourceOptions } from "./options";
import { withDiffOptions, type DiffOptions } from "./triggers";
import { writable } from "./values";

interface FastTestsOptions extends SourceOptions, DiffOptions {
  dryRun: boolean;
  reportDir: string;
}

const JOBS = {
  "fast-tests": { describe: "frontend checks and backend tests in parallel", job: undefined },
  "frontend-checks": { describe: "the frontend job of fast-tests alone", job: "frontend" },
  "backend-tests": { describe: "the backend job of fast-tests alone", job: "backend" },
} as const;

/** Register the stage and its two single-job commands. */
export function addFastTests(program: Command, run: (code: number) => void): void {
  for (const [name, { describe, job }] of Object.entries(JOBS)) {
    const cmd = withSourceAndConfig(program.command(name).description(describe))
      .option("--dry-run", "print the planned commands as JSON lines; run nothing", false)
      .addOption(
        new Option("--report-dir <dir>", "where the JUnit and summary reports go")
          .default(".pipeline/reports")
          .argParser(writable("--report-dir", "directory")),
      );
    withDiffOptions(cmd).action(async (o: FastTestsOptions) => run(await fastTests(o, job)));
  }
}

async function fastTests(o: FastTestsOptions, job?: "frontend" | "backend"): Promise<number> {
  const { source, config } = sourceAndConfig(o);
  return printFastTests(job, { ...o, reportDir: resolve(o.reportDir) }, source, config);
}

/** `npm run pipeline -- fast-tests | frontend-checks | backend-tests`: print the summary; exit 1 when a job failed. */
async function printFastTests(
  only: "frontend" | "backend" | undefined,
  f: FastTestsFlags,
  sourceDir: string,
  configFile: string,
): Promise<number> {
  const c = await readConfig(sourceDir, configFile);
  const { outcome, planned } = await runFastTests(sourceDir, c, { ...f, only, configFile });
  for (const w of outcome.warnings) console.error(w);
  if (f.dryRun) {
    for (const s of outcome.results.filter((r) => r.status === "skipped"))
      console.error(`skipped ${s.job}: ${s.reason}`);
    for (const p of planned) console.log(JSON.stringify(p));
    return 0;
  }
  console.log(`\n${outcome.summary}`);
  for (const failure of outcome.failures) console.error(`\n${failure}`);
  return outcome.passed ? 0 : 1;
}
