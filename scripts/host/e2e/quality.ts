/**
 * The E2E quality job as host processes: the pipeline's own pinned tools (root package.json), Chromium from
 * CHROME_PATH or Debian's, the quality spec and Lighthouse in the frontend; their outputs read back by path.
 */
import { lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { QualityEnd } from "../../../ci/src/flow/e2e";
import { qualityFiles } from "../../../ci/src/io/qualityFiles";
import { QUALITY_DIR } from "../../../ci/src/plan/e2e/quality/files";
import { qualityOutputs, type QualityPlan } from "../../../ci/src/plan/e2e/quality/plan";
import { E2E_WORK } from "../../../ci/src/plan/e2e/stage";
import { readLeftText } from "../leftFiles";

/** The pipeline's own checkout: its node_modules holds @axe-core/playwright and lighthouse, pinned in its lockfile. */
export const PIPELINE_ROOT = resolve(import.meta.dirname, "../../..");

/** The Chromium Lighthouse starts: CHROME_PATH, else the one Playwright is told to use, else Debian's. */
export function chromePath(env: NodeJS.ProcessEnv): string {
  return env.CHROME_PATH || env.PLAYWRIGHT_CHROMIUM_EXECUTABLE || "/usr/bin/chromium";
}

/** Write the plan's files, run each step (a failing one is judged by what it left), read the outputs back. */
export async function runQualityJob(
  q: QualityPlan,
  fe: string,
  env: NodeJS.ProcessEnv,
  run: (job: QualityPlan["job"], step: QualityPlan["job"]["steps"][number]) => Promise<unknown>,
): Promise<QualityEnd<string>> {
  // A shard that wrote no blob left no merge to unlink `.e2e`: clearing through the link removed a folder elsewhere.
  unlinkWorkFolder(fe);
  rmSync(join(fe, QUALITY_DIR), { recursive: true, force: true });
  for (const [path, text] of Object.entries(qualityFiles(q.checks))) {
    mkdirSync(dirname(join(fe, path)), { recursive: true });
    writeFileSync(join(fe, path), text);
  }
  // A Chromium given by the caller runs axe and the screenshots too, and names their baselines (files.ts).
  const given = env.CHROME_PATH || env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  const browser: Record<string, string> = given ? { PLAYWRIGHT_CHROMIUM_EXECUTABLE: given } : {};
  const job = { ...q.job, env: { ...q.job.env, CHROME_PATH: chromePath(env), ...browser } };
  for (const step of job.steps) await run(job, step);
  // What the spec and Lighthouse (beside repository code) left: regular files of the frontend only.
  const read = (p: string) => readLeftText(fe, join(fe, p));
  return { outputs: Object.fromEntries(qualityOutputs(q).map((p) => [p, read(p)])), dir: join(fe, QUALITY_DIR) };
}

/** The `.e2e` work folder, when repository code made it a link while running: the link goes, never what it leads to. */
export function unlinkWorkFolder(fe: string): void {
  if (lstatSync(join(fe, E2E_WORK), { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(join(fe, E2E_WORK));
}
