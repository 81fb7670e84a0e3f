/**
 * Which fast-tests jobs a change needs. Pure: the changed paths come from diffBase.ts.
 * Doubt runs everything; every skip carries its reason.
 */
import { CONFIG_FILE, type PipelineConfig } from "../config/defaults";
import { loggable } from "./commits";

export type FastJobName = "frontend" | "backend";

/** Repo-root paths that change how both jobs run: the pipeline itself, its triggers, root lockfiles. */
export const BOTH_PATHS = [
  "package.json",
  "package-lock.json",
  "dagger.json",
  "ci/",
  ".github/workflows/",
  "scripts/pipeline.ts",
  "scripts/host/",
];

/** A skipped job and why. */
export interface SkippedJob {
  job: string;
  reason: string;
}

/** The path filter's verdict: jobs to run (with why) and jobs skipped (with why). */
export interface PathDecision {
  run: FastJobName[];
  because: Partial<Record<FastJobName, string>>;
  skipped: SkippedJob[];
  warnings: string[];
}

/** Where the application sits in the repository, for matching repo-root paths. */
export interface PathContext {
  /** The source directory relative to the repository root ("" when the app is the repository). */
  prefix?: string;
  configFile?: string;
}

type Area = FastJobName | "both" | "other";

/** Sort one repo-root path into the job it affects. */
export function classifyPath(path: string, c: PipelineConfig, ctx: PathContext = {}): Area {
  const prefix = normalizePrefix(ctx.prefix);
  const p = path.replace(/^\.\//, "");
  const atSource = [ctx.configFile ?? CONFIG_FILE, "package.json", "package-lock.json"].map((f) => prefix + f);
  if (atSource.includes(p) || BOTH_PATHS.some((b) => (b.endsWith("/") ? p.startsWith(b) : p === b))) return "both";
  if (p.startsWith(`${prefix}${trimSlash(c.frontend.path)}/`)) return "frontend";
  if (p.startsWith(`${prefix}${trimSlash(c.backend.path)}/`)) return "backend";
  return "other";
}

/** Decide the fast-tests jobs for a list of changed paths; `undefined` means unknown, so run all. */
export function filterPaths(changed: string[] | undefined, c: PipelineConfig, ctx: PathContext = {}): PathDecision {
  const jobs: FastJobName[] = ["frontend", "backend"];
  if (changed === undefined) {
    const why = "changed paths unknown (no base to diff against)";
    return {
      run: jobs,
      because: { frontend: why, backend: why },
      skipped: [],
      warnings: [`${why}: running every job`],
    };
  }
  const byArea = groupBy(changed, (p) => classifyPath(p, c, ctx));
  const decision: PathDecision = { run: [], because: {}, skipped: [], warnings: [] };
  for (const job of jobs) {
    const own = byArea.get(job) ?? [];
    const both = byArea.get("both") ?? [];
    if (both.length) decision.because[job] = `${list(both)} changed, which affects both jobs`;
    else if (own.length)
      decision.because[job] = `${own.length} changed path(s) under ${dirOf(job, c, ctx)} (${list(own)})`;
    if (decision.because[job]) decision.run.push(job);
    else decision.skipped.push({ job, reason: skipReason(job, changed, byArea.get("other") ?? [], c, ctx) });
  }
  return decision;
}

function skipReason(job: FastJobName, changed: string[], other: string[], c: PipelineConfig, ctx: PathContext): string {
  if (changed.length === 0) return "nothing changed between base and head";
  const rest = other.length ? `; outside both apps: ${list(other)}` : "";
  return `no change under ${dirOf(job, c, ctx)} (${changed.length} changed path(s)${rest})`;
}

function dirOf(job: FastJobName, c: PipelineConfig, ctx: PathContext): string {
  return `${normalizePrefix(ctx.prefix)}${trimSlash(job === "frontend" ? c.frontend.path : c.backend.path)}/`;
}

/** A few paths for a reason; a committed name's control characters and `##[` as escapes (it is printed and logged). */
function list(paths: string[], max = 3): string {
  const shown = paths.slice(0, max).map(loggable).join(", ");
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  // Push into the group's array: a copy per item would make a 100,000-file change take minutes.
  for (const i of items) {
    const k = key(i);
    const group = m.get(k);
    if (group) group.push(i);
    else m.set(k, [i]);
  }
  return m;
}

function normalizePrefix(prefix?: string): string {
  const p = trimSlash((prefix ?? "").replace(/^\.\/?/, ""));
  return p ? `${p}/` : "";
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, "");
}
