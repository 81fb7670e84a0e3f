/**
 * A finished deploy, pure: the alert events it raises (routed by severity in alerts.ts) and its
 * Markdown summary with the watch verdict and figures.
 */
import type { AlertEvent } from "./alerts";
import type { ReleaseWatchRecord } from "./watch";

export interface DeployOutcome {
  target: string;
  release: string;
  /** First line of the failure, when the deploy failed. */
  error?: string;
  /** The task that failed. */
  failedTask?: string;
  /** Set when the failure path rolled back automatically. */
  rolledBackTo?: string;
  watch?: ReleaseWatchRecord;
}

/** The events: deploy-done (info) and maybe watch-alert (warning); or rollback / migration-failed / deploy-failed. */
export function deployEvents(o: DeployOutcome): AlertEvent[] {
  const on = `${o.release} on ${o.target}`;
  if (!o.error) {
    const done: AlertEvent = { kind: "deploy-done", text: `deployed ${on}${o.watch ? `; ${figures(o.watch)}` : ""}` };
    if (o.watch?.outcome !== "alert") return [done];
    return [done, { kind: "watch-alert", text: `${on} is slow: ${figures(o.watch)}; ${o.watch.reasons?.join("; ")}` }];
  }
  if (o.rolledBackTo)
    return [{ kind: "rollback", text: `rolled back ${on} to ${o.rolledBackTo}, ${o.release} marked BAD: ${o.error}` }];
  if (o.failedTask === "health") return [{ kind: "health-failing", text: `${on} failed its health check: ${o.error}` }];
  if (o.failedTask === "migrate")
    return [
      { kind: "migration-failed", text: `migration of ${on} failed; the previous release still serves: ${o.error}` },
    ];
  return [{ kind: "deploy-failed", text: `deploy of ${on} failed at ${o.failedTask ?? "?"}: ${o.error}` }];
}

/** The step summary. */
export function deployMarkdown(o: DeployOutcome): string {
  const verdict = o.error ? (o.rolledBackTo ? `ROLLED BACK to ${o.rolledBackTo}` : "FAILED") : "deployed";
  const lines = [`### deploy ${o.target}: ${o.release} ${verdict}`, ""];
  if (o.error) lines.push(`- failed at \`${o.failedTask ?? "?"}\`: ${o.error}`);
  if (o.watch) {
    const w = o.watch;
    lines.push(
      "",
      "| watch | window | requests | 5xx | error rate | p95 |",
      "| --- | --- | --- | --- | --- | --- |",
      `| ${w.outcome} | ${w.windowSeconds} s | ${w.requests} | ${w.errors} | ${w.errorRatePercent} % | ${w.p95Seconds} s |`,
    );
    if (w.reasons?.length) lines.push("", `- ${w.reasons.join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function figures(w: ReleaseWatchRecord): string {
  return `watch ${w.outcome}: ${w.requests} requests, error rate ${w.errorRatePercent} %, p95 ${w.p95Seconds} s`;
}
