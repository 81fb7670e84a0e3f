/**
 * The Dagger side of `accept-baselines`: from an exported E2E report, the screenshots a red visual check took, each
 * named as the baseline its browser and platform compare with, in a Directory the CLI exports over the baselines.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { InputError } from "../../plan/errors";
import { acceptedBaselines, parseVisualRecord } from "../../plan/e2e/quality/visual";

const RESULTS = "quality/results/";
const RECORDS = "quality/visual/";

/** The new baselines (empty when every page matched); a report with screenshots but no records is refused. */
export async function runAcceptBaselines(report: Directory): Promise<Directory> {
  const paths = await report.glob("quality/**/*");
  const files = paths.filter((p) => p.startsWith(RESULTS)).map((p) => p.slice(RESULTS.length));
  const recordPaths = paths.filter((p) => p.startsWith(RECORDS) && p.endsWith(".json"));
  const records = await Promise.all(
    recordPaths.map(async (p) => parseVisualRecord(await report.file(p).contents(), p)),
  );
  const taken = acceptedBaselines(files, records);
  if (!taken.length && files.some((f) => f.endsWith("-actual.png")))
    throw new InputError(
      `the report's quality/visual holds no record of which baseline each screenshot replaces: it is from an older pipeline. Re-run end-to-end, export its report and accept from it.`,
    );
  let out = dag.directory();
  for (const t of taken) out = out.withFile(t.baseline, report.file(`${RESULTS}${t.from}`));
  return out;
}
