/**
 * `npm run pipeline -- accept-baselines --report DIR`: take the screenshots a red visual check left in an E2E report
 * (either runner's, e.g. `dagger call end-to-end ... export --path e2e-report`) as the new committed baselines, each
 * under the name its browser and platform compare with (`home-debian-chromium-linux.png`).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { InputError } from "../../../ci/src/plan/errors";
import { acceptedBaselines, type VisualRecord } from "../../../ci/src/plan/e2e/quality/visual";

/** The quality spec's records of the visual pages in a report's `quality/visual/`. */
function readVisualRecords(quality: string): VisualRecord[] {
  const dir = join(quality, "visual");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as VisualRecord);
}

/** Copy each `-actual.png` over its baseline in the source's frontend; say what changed and what to commit. */
export function runAcceptBaselines(report: string | undefined, sourceDir: string, c: PipelineConfig): number {
  const quality = join(resolve(report ?? ".pipeline/e2e-report"), "quality");
  const results = join(quality, "results");
  if (!existsSync(results))
    throw new InputError(
      `${results} does not exist: --report must be an E2E report whose visual check ran (npm run pipeline -- end-to-end, or dagger call end-to-end ... export --path e2e-report).`,
    );
  const files = readdirSync(results, { recursive: true }) as string[];
  const taken = acceptedBaselines(files, readVisualRecords(quality));
  if (!taken.length && files.some((f) => f.endsWith("-actual.png")))
    throw new InputError(
      `${quality}/visual holds no record of which baseline each screenshot replaces: the report is from an older pipeline. Re-run end-to-end and accept from its report.`,
    );
  if (!taken.length) {
    console.log(`no new screenshots in ${results}: every page matched its baseline`);
    return 0;
  }
  const dir = join(sourceDir, c.frontend.path, c.quality.visual.baselines);
  mkdirSync(dir, { recursive: true });
  for (const t of taken) {
    copyFileSync(join(results, t.from), join(dir, t.baseline));
    console.log(`accepted ${join(dir, t.baseline)}`);
  }
  console.log(`review and commit them: git add ${dir}`);
  return 0;
}
