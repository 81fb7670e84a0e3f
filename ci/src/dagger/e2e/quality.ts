/**
 * The E2E quality job on the engine: the Playwright image with the pinned tools installed beside the app, its
 * bundled Chromium for Lighthouse, every step allowed to fail (the verdicts read what it left).
 */
import { ReturnType, type Directory } from "@dagger.io/dagger";
import type { QualityEnd } from "../../flow/e2e";
import { qualityFiles } from "../../io/qualityFiles";
import { QUALITY_DIR } from "../../plan/e2e/quality/files";
import { qualityOutputs, type QualityPlan } from "../../plan/e2e/quality/plan";
import { containerWorkdir } from "../../plan/job";
import { jobContainer } from "../job";
import { withRunId } from "../runId";

/** Prints the Chromium the image's Playwright bundles, for chrome-launcher's CHROME_PATH. */
const CHROME_OF = "process.stdout.write(require('@playwright/test').chromium.executablePath())";

/** Run the quality job in one container (tools, files, steps), then read what the verdicts need. */
export async function runQualityJob(source: Directory, q: QualityPlan, runId: string): Promise<QualityEnd<Directory>> {
  const dir = containerWorkdir(q.job);
  let c = jobContainer(source, { ...q.job, install: [...q.job.install, q.toolsInstall], steps: [] });
  for (const [path, text] of Object.entries(qualityFiles(q.checks))) c = c.withNewFile(`${dir}/${path}`, text);
  const chrome = (await c.withExec(["node", "-e", CHROME_OF]).stdout()).trim();
  c = withRunId(c.withEnvVariable("CHROME_PATH", chrome), runId);
  for (const s of q.job.steps) c = c.withExec(s.argv, { expect: ReturnType.Any });
  const out = c.directory(`${dir}/${QUALITY_DIR}`);
  const read = (p: string) =>
    out
      .file(p.slice(QUALITY_DIR.length + 1))
      .contents()
      .catch(() => undefined);
  const paths = qualityOutputs(q);
  const texts = await Promise.all(paths.map(read));
  return { outputs: Object.fromEntries(paths.map((p, i) => [p, texts[i]])), dir: out };
}
