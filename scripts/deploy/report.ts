/**
 * After a deploy: the alert for its outcome (routed by severity, scripts/deploy/alerts.ts) and
 * a Markdown summary with the watch verdict and figures for $GITHUB_STEP_SUMMARY.
 */
import { appendFileSync } from "node:fs";
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
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY, `${deployMarkdown(outcome)}\n`);
    } catch (e) {
      ctx.log(`warning: could not write the step summary (${(e as Error).message})`);
    }
  }
}
