/**
 * `npm run pipeline -- accept-baselines --report DIR`: take the screenshots a red visual check left in an E2E report
 * (either runner's, e.g. `dagger call end-to-end ... export --path e2e-report`) as the new committed baselines.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { InputError } from "../../../ci/src/plan/errors";
import { acceptedBaselines } from "../../../ci/src/plan/e2e/quality/visual";

/** Copy each `-actual.png` over its baseline in the source's frontend; say what changed and what to commit. */
export function runAcceptBaselines(report: string | undefined, sourceDir: string, c: PipelineConfig): number {
  const results = join(resolve(report ?? ".pipeline/e2e-report"), "quality/results");
  if (!existsSync(results))
    throw new InputError(
      `${results} does not exist: --report must be an E2E report whose visual check ran (npm run pipeline -- end-to-end, or dagger call end-to-end ... export --path e2e-report).`,
    );
  const taken = acceptedBaselines(readdirSync(results, { recursive: true }) as string[]);
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
