/**
 * What the quality tools really printed on the example app here, kept in test/fixtures/quality/ and fed back to the
 * verdict flow and the Dagger path's recorded requests: each fast-tests scan's exit code and streams
 * (test/fixtures/quality/capture.ts made them), and the files the E2E quality job left (axe, Lighthouse, Playwright's
 * JSON report) in a green run, and in the red run with the planted findings of
 * test/integration/host/e2e/quality.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { QUALITY_PATHS } from "../../ci/src/plan/e2e/quality/files";
import type { ScanOutput } from "../../ci/src/plan/quality/scan";

const DIR = join(import.meta.dirname, "../fixtures/quality");

/** The app as it is, with one planted finding of each kind, or with the advisory databases on a closed port. */
export type ScanCase = "clean" | "planted" | "unreachable";

/** One scan's captured output, by the scan's name (sast-backend, secrets, audit-frontend …). */
export function scanOutput(scan: string, c: ScanCase): ScanOutput {
  const o = JSON.parse(readFileSync(join(DIR, "scans", `${scan}.${c}.json`), "utf8")) as Omit<ScanOutput, "seconds">;
  return { ...o, seconds: 1 };
}

/** The E2E quality job's outputs of one run, by the path the verdicts read them from (relative to the frontend). */
export function e2eOutputs(run: "green" | "red"): Record<string, string> {
  const dir = join(DIR, "e2e", run);
  const files: Record<string, string> = {
    [`${QUALITY_PATHS.a11y}/home.json`]: "a11y-home.json",
    [`${QUALITY_PATHS.lighthouse}/home.report.json`]: "lighthouse-home.report.json.gz",
    [QUALITY_PATHS.visualJson]: "visual.json",
  };
  return Object.fromEntries(
    Object.entries(files)
      .filter(([, f]) => existsSync(join(dir, f)))
      .map(([path, f]) => {
        const raw = readFileSync(join(dir, f));
        return [path, (f.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")];
      }),
  );
}
