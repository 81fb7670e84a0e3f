/** Judge the screenshot comparisons from the quality run's Playwright JSON report. Pure. */
import type { VisualConfig } from "../../config/quality/e2eChecks";
import { InputError } from "../../errors";
import { printable } from "../../triggers/commits";
import { resultOf, type QualityJudged } from "./result";

interface Attachment {
  name: string;
  path?: string;
}
interface Spec {
  title: string;
  tests: { status: string; results: { attachments?: Attachment[]; errors?: { message?: string }[] }[] }[];
}
interface Suite {
  specs?: Spec[];
  suites?: Suite[];
}

function specsOf(s: Suite): Spec[] {
  return [...(s.specs ?? []), ...(s.suites ?? []).flatMap(specsOf)];
}

/** Where a diff image is, relative to the report's `quality/` folder (Playwright writes absolute paths). */
function reportPath(path: string): string {
  const i = path.indexOf("/results/");
  return i < 0 ? path : path.slice(i + 1);
}

/** Why a screenshot test failed, in one line: how many pixels differ, the size change, or the missing baseline. */
function reasonOf(message: string): string {
  const lines = message
    // eslint-disable-next-line no-control-regex -- Playwright colours its messages with ANSI escapes
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .map((l) => l.trim().replace(/^Error: /, ""));
  const missing = lines.find((l) => l.includes("doesn't exist"));
  if (missing) {
    const file = /doesn't exist at (\S+\.png)/.exec(missing)?.[1]?.split("/").at(-1);
    return file ? `no baseline ${file} yet` : "no baseline yet";
  }
  return lines.find((l) => /pixels .*different|sizes? differ/i.test(l)) ?? lines[0];
}

/** A page whose screenshot differs (or has no baseline) fails, naming its diff image; a page not run fails too. */
export function judgeVisual(cfg: VisualConfig, reportJson: string | undefined, accept: string): QualityJudged {
  if (reportJson === undefined) return resultOf("visual", [], "", ["the screenshot run wrote no JSON report"]);
  const specs = (JSON.parse(reportJson) as { suites?: Suite[] }).suites?.flatMap(specsOf) ?? [];
  const failing: string[] = [];
  const problems: string[] = [];
  for (const page of cfg.pages) {
    const t = specs.find((s) => s.title === `visual ${page}`)?.tests[0];
    if (!t) {
      problems.push(`no screenshot test ran for ${page}`);
      continue;
    }
    if (t.status === "expected") continue;
    const last = t.results[t.results.length - 1];
    const images = (last?.attachments ?? []).filter((a) => a.path && /-(diff|actual)\.png$/.test(a.path));
    const diff = images.find((a) => a.path!.endsWith("-diff.png")) ?? images[0];
    const where = diff ? `: quality/${reportPath(diff.path!)}` : "";
    failing.push(`${page} ${reasonOf(last?.errors?.[0]?.message ?? t.status)}${where}`);
  }
  const r = resultOf("visual", failing, `${cfg.pages.length} page(s) match their baselines`, problems);
  if (r.status === "passed") return r;
  const headline = problems.length
    ? r.headline
    : `${failing.length} page(s) differ from their baselines: ${r.headline}`;
  return { ...r, headline, details: [...r.details, `accept the new screenshots: ${accept}`] };
}

/** A screenshot a run took where its baseline differed or was missing, and the baseline file it would become. */
export interface AcceptedBaseline {
  from: string;
  baseline: string;
}

/** What the quality spec wrote for one visual page (`visual/<slug>.json`): the baseline its browser compares with. */
export interface VisualRecord {
  page: string;
  slug: string;
  baseline: string;
}

const RERUN = "Re-run end-to-end and accept from its report";

/** A name Playwright's snapshot template gives (`home-debian-chromium-linux.png`): one file, no folder, no `..`. */
const BASELINE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*\.png$/;

/** A `visual/<slug>.json` record's text, checked: a report is input, so a garbled record is refused with the fix. */
export function parseVisualRecord(text: string, file: string): VisualRecord {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    r = undefined;
  }
  const o = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
  if (Array.isArray(r) || !["page", "slug", "baseline"].every((k) => typeof o[k] === "string"))
    throw new InputError(`${file} is not a visual record ({"page", "slug", "baseline"} strings). ${RERUN}.`);
  return { page: o.page as string, slug: o.slug as string, baseline: o.baseline as string };
}

/**
 * From the files under a report's `quality/results/` and the spec's records, each `<slug>-actual.png` as the baseline
 * its browser and platform compare with (`home-debian-chromium-linux.png`); screenshots with no record are left out.
 * A record whose baseline is not a plain `.png` file name (`../../x`, `/etc/x`) is refused: it would write elsewhere.
 */
export function acceptedBaselines(files: string[], records: VisualRecord[]): AcceptedBaseline[] {
  for (const r of records)
    if (!BASELINE_NAME.test(r.baseline))
      throw new InputError(
        `the visual record of "${printable(r.slug)}" names "${printable(r.baseline)}", which is not a screenshot file name (like home-debian-chromium-linux.png). ${RERUN}.`,
      );
  const bySlug = new Map(records.map((r) => [r.slug, r.baseline]));
  return files
    .filter((f) => f.endsWith("-actual.png"))
    .sort()
    .flatMap((f) => {
      const baseline = bySlug.get(f.split("/").at(-1)!.slice(0, -"-actual.png".length));
      return baseline ? [{ from: f, baseline }] : [];
    });
}
