/** `npm run pipeline -- end-to-end-verdict --report DIR`: the Dagger verdict over a report the host runner wrote. */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { verdictOf } from "../../../ci/src/plan/e2e/verdict";

/** Print the summary and exit 0 when the report's status is passed; red or unreadable throws (exit 1 or 2). */
export function runE2eVerdict(report: string | undefined): number {
  const dir = resolve(report ?? ".pipeline/e2e-report");
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined);
  console.log(verdictOf(read("status"), read("summary.txt")));
  return 0;
}
