import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatJunit, formatMarkdown, type StageMetrics } from "../../ci/src/plan/report/metrics";
import type { JobResult } from "../../ci/src/plan/report/summary";
import { appendStepSummary } from "../../ci/src/io/stepSummary";

/** Write a stage's summary as Markdown and JUnit under `dir`, and to $GITHUB_STEP_SUMMARY when set; say where. */
export function reportStage(
  m: StageMetrics,
  results: JobResult[],
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const out = join(dir, m.stage);
  ownDir(out);
  const markdown = formatMarkdown(m, results);
  replaceFile(join(out, "summary.md"), markdown);
  replaceFile(join(out, "junit.xml"), formatJunit(m, results));
  const failed = env.GITHUB_STEP_SUMMARY ? appendStepSummary(env.GITHUB_STEP_SUMMARY, `${markdown}\n`) : undefined;
  const reports = `reports: ${join(out, "summary.md")}, ${join(out, "junit.xml")}`;
  return failed ? `${reports}; warning: could not write the step summary (${failed})` : reports;
}

/**
 * The report dir may be in the repository, where a repository command can leave links: the stage's folder is made a
 * folder of the runner's own (a link there is removed), and each file is written anew and renamed over its path, so
 * the runner never writes through a link into a file of the user's.
 */
function ownDir(dir: string): void {
  try {
    if (lstatSync(dir).isSymbolicLink()) rmSync(dir);
  } catch {
    // Not there yet.
  }
  mkdirSync(dir, { recursive: true });
}

function replaceFile(path: string, text: string): void {
  const fresh = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(fresh, text, { flag: "wx" });
  renameSync(fresh, path);
}
