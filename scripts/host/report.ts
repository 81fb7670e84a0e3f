import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatJunit, formatMarkdown, type StageMetrics } from "../../ci/src/plan/report/metrics";
import type { JobResult } from "../../ci/src/plan/report/summary";

/** Write a stage's summary as Markdown and JUnit under `dir`, and to $GITHUB_STEP_SUMMARY when set; say where. */
export function reportStage(
  m: StageMetrics,
  results: JobResult[],
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const out = join(dir, m.stage);
  mkdirSync(out, { recursive: true });
  const markdown = formatMarkdown(m, results);
  writeFileSync(join(out, "summary.md"), markdown);
  writeFileSync(join(out, "junit.xml"), formatJunit(m, results));
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  return `reports: ${join(out, "summary.md")}, ${join(out, "junit.xml")}`;
}
