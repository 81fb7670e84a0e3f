/** The Dagger side of `end-to-end-verdict`: the verdict over a report Directory another function exported. */
import type { Directory } from "@dagger.io/dagger";
import { verdictOf } from "../../plan/e2e/verdict";

/** Return the summary of an exported report whose status is passed; throw with the summary when it is failed. */
export async function runE2eVerdict(report: Directory): Promise<string> {
  const [status, summary] = await Promise.all([
    report
      .file("status")
      .contents()
      .catch(() => undefined),
    report
      .file("summary.txt")
      .contents()
      .catch(() => undefined),
  ]);
  return verdictOf(status, summary);
}
