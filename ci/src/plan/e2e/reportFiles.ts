/** The files every E2E report holds beside Playwright's own, on both runners. Pure. */
import { promotionRecordOf } from "./record";
import { formatE2eSummary, type E2eSummary } from "./summary";

/** Where the merged HTML report is, relative to the report's root. */
export const REPORT_HTML = "html/index.html";

/**
 * summary.json (with the run's warnings), summary.txt, `status` (passed or failed, what end-to-end-verdict and the
 * workflows read), and promotion/<sha>.json when the commit is known: by path in the report.
 */
export function e2eReportFiles(
  s: E2eSummary,
  warnings: string[],
  commit: string | undefined,
  finishedAt: Date,
): Record<string, string> {
  const files: Record<string, string> = {
    "summary.json": `${JSON.stringify({ ...s, warnings }, null, 2)}\n`,
    "summary.txt": `${[formatE2eSummary(s), ...warnings].join("\n")}\n`,
    status: `${s.status}\n`,
  };
  if (commit)
    files[`promotion/${commit}.json`] =
      `${JSON.stringify(promotionRecordOf(s, commit, REPORT_HTML, finishedAt), null, 2)}\n`;
  return files;
}
