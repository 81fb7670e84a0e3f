/**
 * After a deploy: the alert for its outcome (routed by severity, scripts/deploy/alerts.ts) and
 * a Markdown summary with the watch verdict and figures for $GITHUB_STEP_SUMMARY.
 */
import { appendStepSummary } from "../../ci/src/io/stepSummary";
import { deployEvents, deployMarkdown } from "../../ci/src/plan/deploy/outcome";
import { alertSender } from "./alerts";
import type { DeployContext } from "./context";

/** Send the outcome's alerts and write the step summary; never throws (the deploy's result stands). */
export async function reportDeploy(
  ctx: DeployContext,
  target: string,
  env: Record<string, string | undefined>,
  error?: { message: string; task?: string },
): Promise<void> {
  const outcome = {
    target,
    release: ctx.plan.releaseId,
    error: error?.message.split("\n")[0],
    failedTask: error?.task,
    rolledBackTo: ctx.state.rolledBackTo,
    watch: ctx.state.watch,
  };
  const send = alertSender(env, ctx.log, Object.values(ctx.secrets));
  for (const e of deployEvents(outcome)) await send(e).catch(() => undefined);
  const failed = env.GITHUB_STEP_SUMMARY && appendStepSummary(env.GITHUB_STEP_SUMMARY, `${deployMarkdown(outcome)}\n`);
  if (failed) ctx.log(`warning: could not write the step summary (${failed})`);
}
