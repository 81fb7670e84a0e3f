import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { isInside } from "../cli/values";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import {
  E2E_WORK,
  E2eInputError,
  frontendLockfile,
  isSpecFile,
  playwrightVersion,
} from "../../../ci/src/plan/e2e/stage";
import { fileTimings, MalformedReportError, parseReport } from "../../../ci/src/plan/e2e/playwrightReport";

/** Spec files under the frontend's Playwright testDir, relative to it, sorted. */
export function listSpecFiles(sourceDir: string, c: PipelineConfig): string[] {
  const dir = join(sourceDir, c.frontend.path, c.e2e.testDir);
  if (!existsSync(dir))
    throw new E2eInputError(`${dir} does not exist. Set e2e.testDir in pipeline.yaml to the Playwright testDir.`);
  if (!statSync(dir).isDirectory())
    throw new E2eInputError(
      `${printable(dir)} is a file, not a folder. Set e2e.testDir in pipeline.yaml to the Playwright testDir.`,
    );
  // Through links, as every configured path: the specs run are the repository's, and the listing walks only them.
  const frontend = realpathSync(join(sourceDir, c.frontend.path));
  if (!isInside(frontend, realpathSync(dir)))
    throw new E2eInputError(
      `${printable(dir)} leads outside the frontend (to ${printable(realpathSync(dir))}); make e2e.testDir a folder of the frontend, not a link out of it`,
    );
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => isSpecFile(f) && !f.split("/").includes("node_modules"))
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

/**
 * The visual baselines folder, checked before the run: inside the frontend through links, holding files only. A
 * baseline linked to a file elsewhere (a key) would be read as the expected screenshot and copied into the report.
 */
export function checkBaselines(sourceDir: string, c: PipelineConfig): void {
  if (!c.quality.visual.enabled) return;
  const frontend = realpathSync(join(sourceDir, c.frontend.path));
  const dir = join(frontend, c.quality.visual.baselines);
  if (!existsSync(dir)) return;
  if (!isInside(frontend, realpathSync(dir)))
    throw new E2eInputError(
      `${printable(dir)} leads outside the frontend (to ${printable(realpathSync(dir))}); make quality.visual.baselines a folder of the frontend, not a link out of it`,
    );
  if (!statSync(dir).isDirectory())
    throw new E2eInputError(
      `${printable(dir)} is a file, not the baselines folder (quality.visual.baselines): move it, or set quality.visual.baselines to a folder`,
    );
  for (const f of readdirSync(dir, { recursive: true }) as string[])
    if (lstatSync(join(dir, f)).isSymbolicLink())
      throw new E2eInputError(
        `${printable(join(dir, f))} is a link; the baselines folder holds only the screenshots themselves: replace it with the PNG (npm run pipeline -- accept-baselines writes them)`,
      );
}

/**
 * The frontend's `.e2e` work folder, which each E2E command empties and fills (shard blobs, results, the quality
 * spec): absent or a folder of its own, never a link, which would have the runner remove and write files elsewhere.
 */
export function checkWorkFolder(sourceDir: string, c: PipelineConfig): void {
  const work = join(sourceDir, c.frontend.path, E2E_WORK);
  const s = lstatSync(work, { throwIfNoEntry: false });
  if (s?.isSymbolicLink())
    throw new E2eInputError(
      `${printable(work)} is a link (to ${printable(readlinkSync(work))}); the E2E commands empty and fill folders under it: remove it, they create the folder`,
    );
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
