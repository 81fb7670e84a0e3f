/** fast-tests, frontend-checks, backend-tests: the fast-tests stage, or one of its two jobs. */
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { fastTestsCommand } from "../fastTests";
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
  return fastTestsCommand(job, { ...o, reportDir: resolve(o.reportDir) }, source, config);
}
