/** The host adapters of the fast-tests flow: each job as processes here, reports on disk, alerts from env or .env. */
import { resolve } from "node:path";
import { CONFIG_FILE, type PipelineConfig } from "../../ci/src/plan/config/defaults";
import { planFastTests } from "../../ci/src/plan/fastTests/stage";
import { fastTestsFlow, type FastTestsOutcome, type FastTestsPorts } from "../../ci/src/flow/fastTests";
import { resolveTrigger } from "../../ci/src/flow/triggers";
import { dryRunExecutor, processExecutor, type PlannedCommand } from "./exec";
import { hostOverrides, runJob } from "./job";
import { preflight } from "./preflight";
import { runScan, saveQualityReport } from "./quality";
import { nodeForJob } from "./node";
import { reportStage } from "./report";
import { claimCheckout } from "./sandbox";
import { runnerEnv } from "./stage";
import { sendStageAlerts } from "./stageAlerts";
import { triggerPorts, type TriggerFlags } from "./triggers";

/** What a fast-tests command was given. */
export interface FastTestsFlags extends TriggerFlags {
  dryRun?: boolean;
  /** Where the Markdown and JUnit reports go. */
  reportDir?: string;
}

/** Run fast-tests (or one job of it) here; with dryRun, record every command instead of running it. */
export async function runFastTests(
  sourceDir: string,
  c: PipelineConfig,
  f: FastTestsFlags & { only?: "frontend" | "backend"; configFile?: string; env?: NodeJS.ProcessEnv },
): Promise<{ outcome: FastTestsOutcome; planned: PlannedCommand[] }> {
  const stage = planFastTests(c, f.only);
  const env = runnerEnv(f.env);
  const planned: PlannedCommand[] = [];
  let scanIndex = 0;
  // Each job's provisioned toolchain (PATH first), filled before preflight checks the versions.
  const provided = new Map<string, Record<string, string>>();
  const jobEnv = (name: string) => ({ ...env, ...provided.get(name) });
  const config = f.configFile && f.configFile !== CONFIG_FILE ? ` --config ${f.configFile}` : "";
  // The trigger too: it decides the cache scope, so a pull request's job re-runs in its own caches, not the shared.
  const trigger = f.eventFile ? ` --event-file ${f.eventFile}` : f.event ? ` --event ${f.event}` : "";
  const ports: FastTestsPorts = {
    resolveTrigger: () => resolveTrigger(f, triggerPorts(sourceDir, f.eventFile)),
    toolchains: async (jobs) => {
      const lines: string[] = [];
      for (const job of jobs) {
        const node = await nodeForJob(job, env, !f.dryRun);
        if (!node) continue;
        provided.set(job.name, node.overrides);
        lines.push(node.line);
      }
      return lines;
    },
    preflight: async (jobs) => {
      if (f.dryRun) return;
      // A checkout another pull request's run left files in is that code's (sandbox.ts claimCheckout).
      if (jobs.length > 0) claimCheckout(sourceDir, jobs.find((j) => j.scope)?.scope, env);
      await preflight(jobs, sourceDir, env, (j) => jobEnv(j.name));
    },
    runJob: async (job) =>
      runJob(job, {
        sourceDir,
        env,
        index: stage.jobs.indexOf(job),
        exec: f.dryRun ? dryRunExecutor(job.name, planned) : processExecutor,
        startServices: !f.dryRun,
        out: f.dryRun ? process.stderr : process.stdout,
        overrides: { ...(await hostOverrides(job, env)), ...provided.get(job.name) },
      }),
    runScan: async (scan) =>
      f.dryRun
        ? (planned.push({ job: scan.name, step: scan.steps[0].name, cwd: sourceDir, argv: scan.steps[0].argv }),
          { exitCode: 0, stdout: "", stderr: "", seconds: 0, failedStep: "dry run" })
        : runScan(scan, { sourceDir, env, out: process.stdout, index: stage.jobs.length + scanIndex++ }),
    saveQualityReport: async (check, json) =>
      f.dryRun ? undefined : saveQualityReport(resolve(f.reportDir ?? ".pipeline/reports"), check, json),
    now: () => Date.now(),
    writeReport: async (m, results) =>
      f.dryRun ? [] : [reportStage(m, results, resolve(f.reportDir ?? ".pipeline/reports"), env)],
    // A dry run ran nothing, so it has nothing to tell.
    alert: async (events) => (f.dryRun ? [] : sendStageAlerts(events, env)),
    rerunCommand: (command) => `npm run pipeline -- ${command} --source ${sourceDir}${config}${trigger}`,
  };
  return { outcome: await fastTestsFlow(stage, c, ports), planned };
}
