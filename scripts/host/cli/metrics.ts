/** metrics and alert: the pipeline's success metrics, and one event sent to its webhooks. */
import { Option, type Command } from "commander";
import { SEVERITY_OF } from "../../../ci/src/plan/deploy/alerts";
import { alertCommand } from "../alert";
import { runMetrics } from "../metrics";
import { sourceAndConfig, withSourceAndConfig } from "./options";
import { collectOnce, existing, writable } from "./values";

/** Register metrics and alert. */
export function addMetrics(program: Command, run: (code: number) => void): void {
  withSourceAndConfig(program.command("metrics").description("success metrics for a period, from the release logs"))
    .option(
      "--release-log <file>",
      "a releases.jsonl (repeatable); default: read over SSH",
      collectOnce("--release-log", "release log", existing("--release-log", "file")),
    )
    .addOption(new Option("--e2e-records <dir>", "E2E records").argParser(existing("--e2e-records", "directory")))
    .option("--since <date>", "first day, YYYY-MM-DD")
    .option("--until <date>", "last day, YYYY-MM-DD")
    .addOption(new Option("--html <file>", "also write the page here").argParser(writable("--html", "file")))
    .option("--json", "print JSON", false)
    .action(async (o: Record<string, unknown> & { source: string; config: string }) => {
      const { source, config } = sourceAndConfig(o);
      run(await runMetrics({ ...o, "release-log": o.releaseLog, "e2e-records": o.e2eRecords }, source, config));
    });
  const kinds = Object.keys(SEVERITY_OF);
  program
    .command("alert")
    .description("send --event KIND --text TEXT to its severity's webhooks (ALERT_WEBHOOK_*)")
    // alertCommand checks the kind itself, with the message the Dagger path shares.
    .option("--event <kind>", `the pipeline event: ${kinds.join(", ")}`)
    .option("--text <text>", "what happened")
    .action(async (o: { event?: string; text?: string }) => run(await alertCommand(o)));
}
