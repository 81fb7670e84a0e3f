import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { E2eInputError, frontendLockfile, isSpecFile, playwrightVersion } from "../../../ci/src/plan/e2e/stage";
import { fileTimings, MalformedReportError, parseReport } from "../../../ci/src/plan/e2e/playwrightReport";

/** Spec files under the frontend's Playwright testDir, relative to it, sorted. */
export function listSpecFiles(sourceDir: string, c: PipelineConfig): string[] {
  const dir = join(sourceDir, c.frontend.path, c.e2e.testDir);
  if (!existsSync(dir))
    throw new E2eInputError(`${dir} does not exist. Set e2e.testDir in pipeline.yaml to the Playwright testDir.`);
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => isSpecFile(f) && !f.split("/").includes("node_modules"))
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

/** The installed @playwright/test version of the frontend, from its package manager's lockfile. */
export function frontendPlaywrightVersion(sourceDir: string, c: PipelineConfig): string {
  const fe = join(sourceDir, c.frontend.path);
  const { manager, file } = frontendLockfile(c);
  const lock = join(fe, file);
  return playwrightVersion(readFileSync(join(fe, "package.json"), "utf8"), {
    manager,
    text: existsSync(lock) ? readFileSync(lock, "utf8") : undefined,
  });
}

/**
 * Timings from a previous merged report. An explicit `--timings` file must exist and parse;
 * the last run's report (found by default) is only a hint, so a broken one gives a warning.
 */
export function readTimings(
  explicit: string | undefined,
  fallback: string,
  warn: (s: string) => void,
): Map<string, number> {
  const file = explicit ?? fallback;
  if (!existsSync(file)) {
    if (explicit) throw new MalformedReportError(explicit, "no such file");
    return new Map();
  }
  try {
    return fileTimings(parseReport(readFileSync(file, "utf8"), file));
  } catch (e) {
    if (explicit) throw e;
    warn(`warning: ignoring the last run's report: ${(e as Error).message}`);
    return new Map();
  }
}
