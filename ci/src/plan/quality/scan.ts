/**
 * A quality scan as plain data: a job whose last step runs one tool that prints its findings as JSON on stdout (or
 * writes them to `report`). Its exit code is read, not obeyed; verdict.ts judges the findings. Both runners execute
 * exactly these objects.
 */
import type { Job, Step } from "../job";

/** The checks fast-tests runs beside its jobs. */
export type QualityCheckName = "sast" | "secrets" | "audit";

/** The directory each runner gives a scan for its own files (tool installs, configs), outside the source. */
export const SCRATCH = "{scratch}";

/** A file a scan writes under SCRATCH before its steps run (a tool's config). */
export interface ScanFile {
  path: string;
  text: string;
}

/** A job of a quality check: `install` must succeed; `steps` is the one scan, whose output is judged. */
export interface Scan extends Job {
  check: QualityCheckName;
  /** The tool, as the verdict names it: bandit, eslint-security, gitleaks, npm-audit, pip-audit. */
  tool: string;
  /** What is mounted: the application source, or the git repository (a pull request's commits). */
  tree: "source" | "repo";
  files: ScanFile[];
  /**
   * The file (under SCRATCH) the tool writes its JSON report to, read as the scan's stdout: for a tool whose report
   * quotes the source (bandit's `code`, a hardcoded password in its `issue_text`), so that no runner's log shows it.
   * `dagger call` prints every exec's stdout in its progress; a file read is not printed.
   */
  report?: string;
}

/** What one scan gave: its exit code and its two streams, kept apart so stdout parses as JSON. */
export interface ScanOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The install step that failed, when the tool never ran. */
  failedStep?: string;
  seconds: number;
}

/** One finding, as every report shows it: never a matched value, only where and what. */
export interface Finding {
  tool: string;
  rule: string;
  /** Other ids of the same advisory (CVE-…, GHSA-…): the allow-list matches them too. */
  aliases?: string[];
  severity: string;
  /** Relative to the mounted tree's root. */
  file: string;
  line?: number;
  message: string;
}

/** The scan step itself. */
export function scanStep(scan: Scan): Step {
  return scan.steps[0];
}

/** Fill SCRATCH in every argv, env value and file path of a scan for one runner's directory. */
export function withScratch(scan: Scan, dir: string): Scan {
  const fill = (s: string) => s.replaceAll(SCRATCH, dir);
  const step = (s: Step): Step => ({ ...s, argv: s.argv.map(fill) });
  return {
    ...scan,
    install: scan.install.map(step),
    steps: scan.steps.map(step),
    env: Object.fromEntries(Object.entries(scan.env).map(([k, v]) => [k, fill(v)])),
    files: scan.files.map((f) => ({ ...f, path: fill(f.path) })),
    ...(scan.report ? { report: fill(scan.report) } : {}),
  };
}

/** A path the tool printed (./app/x.py, /src/backend/app/x.py) as the tree's relative path (backend/app/x.py). */
export function treePath(workdir: string, printed: string, root?: string): string {
  let p = printed.replace(/\\/g, "/");
  if (root && p.startsWith(`${root}/`)) return p.slice(root.length + 1);
  p = p.replace(/^\.\//, "");
  return workdir === "." || workdir === "" ? p : `${workdir}/${p}`;
}
