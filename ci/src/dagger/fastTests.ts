/** The Dagger adapters of the fast-tests flow: each job a container, alerts to the webhook Secrets given. */
import type { Directory } from "@dagger.io/dagger";
import type { PipelineConfig } from "../plan/config/defaults";
import { StageFailure } from "../plan/errors";
import { planFastTests } from "../plan/fastTests/stage";
import type { JobResult } from "../plan/report/summary";
import { fastTestsFlow } from "../flow/fastTests";
import { resolveTrigger } from "../flow/triggers";
import { runJob } from "./job";
import { runScan } from "./quality";
import { newRunId } from "./runId";
import { sendStageAlerts, type AlertSecrets } from "./stageAlerts";
import { triggerPorts, type TriggerArgs } from "./triggers";

/** A stage that failed: carries every job's result; the message is the summary and each failure. */
export class StageFailed extends StageFailure {
  constructor(
    readonly results: JobResult[],
    message: string,
  ) {
    super(message);
  }
}

/** What a fast-tests function was given. */
export interface FastTestsArgs {
  source: Directory;
  config: PipelineConfig;
  /** frontend-checks and backend-tests run one job. */
  only?: "frontend" | "backend";
  /** The repository and trigger, for skipping the jobs the diff does not touch. */
  repo?: Directory;
  trigger?: TriggerArgs;
  appPath?: string;
  alerts?: AlertSecrets;
}

/** Run fast-tests on the engine; return the summary, or throw StageFailed with it and each failure. */
export async function runFastTests(a: FastTestsArgs): Promise<string> {
  const runId = newRunId();
  const t = a.trigger ?? {};
  const out = await fastTestsFlow(planFastTests(a.config, a.only), a.config, {
    resolveTrigger: async () =>
      a.repo && (t.base || t.head || t.eventFile)
        ? resolveTrigger(t, triggerPorts(a.repo, t.eventFile, a.appPath ?? ""))
        : { prefix: a.appPath ?? "" },
    // The image is the toolchain: its tag follows the pin (plan/toolchain/node.ts).
    toolchains: async (jobs) =>
      jobs.flatMap((j) =>
        j.tools.flatMap((t) => (t.range ? [`${t.bin} from ${j.image} for ${j.name}: ${t.range.why}`] : [])),
      ),
    // Containers bring their own tools, and the engine shows each exec's output: nothing to check or keep beforehand.
    preflight: async () => undefined,
    runJob: (job) => runJob(a.source, job),
    runScan: (scan) => runScan({ source: a.source, repo: a.repo }, scan),
    // fast-tests through Dagger returns its summary only; each check's verdict is in it.
    saveQualityReport: async () => undefined,
    now: () => Date.now(),
    writeReport: async () => [],
    alert: (events) => sendStageAlerts(events, a.alerts ?? {}, runId),
    rerunCommand: (command) => `dagger call ${command} (with the same --source and --config)`,
  });
  const text = [...out.warnings, out.summary].join("\n");
  if (out.passed) return text;
  throw new StageFailed(out.results, [text, ...out.failures].join("\n\n"));
}
