/** The verdict of an exported E2E report, pure: its `status` file, and its summary when red. */
import { InputError, StageFailure } from "../errors";

/** A red E2E report: its summary text is the message, so the failing CI step shows what failed. */
export class E2eRedError extends StageFailure {
  constructor(readonly summary: string) {
    super(
      `E2E is red:\n${summary.trimEnd()}\nOpen html/index.html of the report (the uploaded e2e-report artifact) for traces.`,
    );
  }
}

/** A report without a readable status: says what is missing and what to pass. */
export class E2eReportError extends InputError {
  constructor(what: string) {
    super(
      `${what}: --report must be the directory \`dagger call end-to-end ... export --path report\` (or end-to-end-merge) wrote, holding status and summary.txt.`,
    );
  }
}

/** Return the summary when the status is `passed`; throw E2eRedError when `failed`, E2eReportError otherwise. */
export function verdictOf(status: string | undefined, summary: string | undefined): string {
  const s = status?.trim();
  if (s === undefined) throw new E2eReportError("the report has no status file");
  if (s === "passed") return summary ?? "e2e passed";
  if (s === "failed") throw new E2eRedError(summary ?? "(no summary.txt in the report)");
  throw new E2eReportError(`the report's status is "${s}", neither passed nor failed`);
}
