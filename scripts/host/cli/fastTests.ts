/** fast-tests, frontend-checks, backend-tests: the fast-tests stage, or one of its two jobs. */
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { planFastTests } from "../../../ci/src/plan/fastTests/stage";
import type { StagePlan } from "../../../ci/src/plan/job";
import { selectFastTests } from "../../../ci/src/plan/fastTests/selection";
import type { JobResult } from "../../../ci/src/plan/report/summary";
import { readConfig } from "../config";
import { coverageDrops, sendStageAlerts } from "../stageAlerts";
import { resolveTrigger } from "../triggers";
import { reportStage } from "../report";
import { runHostStage } from "../stage";
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
  let stage: StagePlan = planFastTests(await readConfig(source, config), job);
  let skipped: JobResult[] = [];
  const trigger = await resolveTrigger(o, source);
  if (trigger.resolution) {
    const selected = selectFastTests(
      stage,
      { ...trigger, resolution: trigger.resolution },
      await readConfig(source, config),
    );
    for (const w of selected.warnings) console.error(`warning: ${w}`);
    ({ stage, skipped } = selected);
  }
  const result = await runHostStage(stage, source, { dryRun: o.dryRun, skipped });
  if (o.dryRun) {
    for (const s of skipped) console.error(`skipped ${s.job}: ${s.reason}`);
    for (const c of result.planned) console.log(JSON.stringify(c));
    return 0;
  }
  console.log(`\n${result.summary}\n\n${reportStage(result.metrics, result.results, resolve(o.reportDir))}`);
  for (const r of result.results.filter((x) => x.status === "failed")) {
    console.error(`\n${r.job} failed at ${r.failedStep}:\n${r.reason ?? ""}`);
    console.error(
      `re-run it alone: npm run pipeline -- ${r.job === "frontend" ? "frontend-checks" : "backend-tests"} --source ${source}`,
    );
  }
  await sendStageAlerts(coverageDrops(result.results, stage.metrics.coverageMin));
  return result.passed ? 0 : 1;
}
