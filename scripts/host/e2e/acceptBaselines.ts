/**
 * `npm run pipeline -- accept-baselines --report DIR`: take the screenshots a red visual check left in an E2E report
 * (either runner's, e.g. `dagger call end-to-end ... export --path e2e-report`) as the new committed baselines, each
 * under the name its browser and platform compare with (`home-debian-chromium-linux.png`).
 * A report is input anyone could have edited: every file is checked (inside the report, a PNG, bounded) and every
 * target kept inside the frontend before the first copy.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { InputError } from "../../../ci/src/plan/errors";
import {
  acceptedBaselines,
  parseVisualRecord,
  type AcceptedBaseline,
  type VisualRecord,
} from "../../../ci/src/plan/e2e/quality/visual";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { isInside } from "../cli/values";

const RERUN = "Re-run end-to-end and accept from its report";
/** A record is a line of JSON; a screenshot of a long page at 1280 px is a few MiB. */
const MAX_RECORD_BYTES = 64 * 1024;
const MAX_PNG_MIB = 32;
const PNG_SIGNATURE = Buffer.from("89504e470d0a1a0a", "hex");

/** A size as the messages give it: KiB below a MiB, else MiB. */
const sizeOf = (bytes: number): string =>
  bytes < 2 ** 20 ? `${Math.ceil(bytes / 1024)} KiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;

/** `path` as a plain file, not a link, at most `maxBytes`: what the report may hand over. */
function reportFile(path: string, maxBytes: number): void {
  const s = lstatSync(path);
  if (s.isSymbolicLink())
    throw new InputError(`${printable(path)} is a link; a report holds the files themselves. ${RERUN}.`);
  if (!s.isFile()) throw new InputError(`${printable(path)} is not a regular file. ${RERUN}.`);
  if (s.size > maxBytes)
    throw new InputError(
      `${printable(path)} is ${sizeOf(s.size)}, more than a ${maxBytes === MAX_RECORD_BYTES ? "record" : "screenshot"}'s ${sizeOf(maxBytes)}. ${RERUN}.`,
    );
}

/** The report's folder `sub`, resolved through links, which must stay inside the report. */
function insideReport(reportReal: string, sub: string): string {
  const real = realpathSync(join(reportReal, sub));
  if (!isInside(reportReal, real))
    throw new InputError(
      `${printable(join(reportReal, sub))} leads outside the report (to ${printable(real)}). ${RERUN}.`,
    );
  return real;
}

/** The quality spec's records of the visual pages in a report's `quality/visual/`, each checked. */
function readVisualRecords(reportReal: string): VisualRecord[] {
  if (!existsSync(join(reportReal, "quality/visual"))) return [];
  const dir = insideReport(reportReal, "quality/visual");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => {
      reportFile(join(dir, f), MAX_RECORD_BYTES);
      return parseVisualRecord(readFileSync(join(dir, f), "utf8"), `quality/visual/${f}`);
    });
}

/** A screenshot the report hands over: a plain PNG file of a screenshot's size. */
function checkScreenshot(path: string): void {
  reportFile(path, MAX_PNG_MIB * 2 ** 20);
  const head = Buffer.alloc(PNG_SIGNATURE.length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(PNG_SIGNATURE)) throw new InputError(`${printable(path)} is not a PNG image. ${RERUN}.`);
}

/** The baselines folder, kept inside the frontend through links; each target a plain file or absent. */
function baselinesDir(sourceDir: string, c: PipelineConfig, taken: AcceptedBaseline[]): string {
  const frontend = realpathSync(join(sourceDir, c.frontend.path));
  const dir = join(frontend, c.quality.visual.baselines);
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  if (!isInside(frontend, realpathSync(existing)))
    throw new InputError(
      `${printable(existing)} leads outside the frontend (to ${printable(realpathSync(existing))}); make quality.visual.baselines a folder of the frontend, not a link out of it`,
    );
  if (!statSync(existing).isDirectory())
    throw new InputError(
      `${printable(existing)} is a file, not the baselines folder (quality.visual.baselines is ${printable(c.quality.visual.baselines)}): move it, or set quality.visual.baselines to a folder`,
    );
  for (const t of taken) {
    const s = lstatSync(join(dir, t.baseline), { throwIfNoEntry: false });
    if (s && !s.isFile())
      throw new InputError(
        `${printable(join(dir, t.baseline))} is ${s.isSymbolicLink() ? "a link" : "not a file"}; the baselines folder holds only PNG files: remove it`,
      );
  }
  return dir;
}

/** Copy each `-actual.png` over its baseline in the source's frontend; say what changed and what to commit. */
export function runAcceptBaselines(report: string | undefined, sourceDir: string, c: PipelineConfig): number {
  const given = join(resolve(report ?? ".pipeline/e2e-report"), "quality", "results");
  if (!existsSync(given))
    throw new InputError(
      `${printable(given)} does not exist: --report must be an E2E report whose visual check ran (npm run pipeline -- end-to-end, or dagger call end-to-end ... export --path e2e-report).`,
    );
  const reportReal = realpathSync(resolve(report ?? ".pipeline/e2e-report"));
  const results = insideReport(reportReal, "quality/results");
  const files = readdirSync(results, { recursive: true }) as string[];
  const taken = acceptedBaselines(files, readVisualRecords(reportReal));
  if (!taken.length && files.some((f) => f.endsWith("-actual.png")))
    throw new InputError(
      `${printable(reportReal)}/quality/visual holds no record of which baseline each screenshot replaces: the report is from an older pipeline. ${RERUN}.`,
    );
  if (!taken.length) {
    console.log(`no new screenshots in ${printable(results)}: every page matched its baseline`);
    return 0;
  }
  for (const t of taken) {
    checkScreenshot(join(results, t.from));
    if (!isInside(results, realpathSync(join(results, t.from))))
      throw new InputError(`${printable(join(results, t.from))} leads outside the report. ${RERUN}.`);
  }
  const dir = baselinesDir(sourceDir, c, taken);
  mkdirSync(dir, { recursive: true });
  for (const t of taken) {
    copyFileSync(join(results, t.from), join(dir, t.baseline));
    console.log(`accepted ${printable(join(dir, t.baseline))}`);
  }
  console.log(`review and commit them: git add ${printable(dir)}`);
  return 0;
}
