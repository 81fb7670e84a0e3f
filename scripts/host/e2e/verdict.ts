/** `npm run pipeline -- end-to-end-verdict --report DIR`: the Dagger verdict over a report the host runner wrote. */
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { verdictOf } from "../../../ci/src/plan/e2e/verdict";

/** Print the summary and exit 0 when the report's status is passed; red or unreadable throws (exit 1 or 2). */
export function runE2eVerdict(report: string | undefined): number {
  const dir = resolve(report ?? ".pipeline/e2e-report");
  const read = (f: string) => (isFile(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined);
  console.log(verdictOf(read("status"), read("summary.txt")));
  return 0;
}

/** A regular file (through links): a FIFO would block the read for ever, so it, a folder or no path is absent. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
