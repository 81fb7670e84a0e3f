/** The host adapter of the quality checks: each scan as processes here, its files in a temp dir, reports on disk. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repositoryEnv } from "../../ci/src/plan/env";
import { displayArgv } from "../../ci/src/plan/job";
import { withScratch, type QualityCheckName, type Scan, type ScanOutput } from "../../ci/src/plan/quality/scan";
import { processExecutor, runRepositoryProcess } from "./exec";
import { readLeftText } from "./leftFiles";
import { prefixedWriter } from "./prefix";
import { commandTmpdir, inCacheScope } from "./sandbox";

export interface HostScanOptions {
  sourceDir: string;
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  index: number;
}

/** Run one scan here: installs stream to the log; the scan's JSON report (stdout or its file) is kept, not printed. */
export function runScan(given: Scan, o: HostScanOptions): Promise<ScanOutput> {
  // A pull request's scans keep their caches apart, as its jobs do (scan.scope).
  return inCacheScope(given.scope, () => scanHere(given, o));
}

async function scanHere(given: Scan, o: HostScanOptions): Promise<ScanOutput> {
  const started = Date.now();
  // In the scan's cache scope's temp dir: a pull request's scan sees no other (sandbox.ts).
  const scratch = mkdtempSync(join(commandTmpdir(), `${given.name}-`));
  const out = prefixedWriter(given.name, o.index, o.out);
  const seconds = () => (Date.now() - started) / 1000;
  try {
    const scan = withScratch(given, scratch);
    for (const f of scan.files) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.text);
    }
    // A pull request's commits are read with git from the source directory, which sits inside the repository.
    const cwd = join(o.sourceDir, scan.workdir);
    const env = repositoryEnv(o.env, scan.env);
    for (const step of scan.install) {
      out.write(`$ ${displayArgv(step.argv)}\n`);
      const r = await processExecutor(step, cwd, env, (s) => out.write(s));
      if (r.exitCode !== 0)
        return { exitCode: r.exitCode, stdout: "", stderr: r.output, failedStep: step.name, seconds: seconds() };
    }
    const argv = scan.steps[0].argv;
    out.write(`$ ${displayArgv(argv)}\n`);
    const r = await runRepositoryProcess(argv, cwd, env, { stderr: (s) => out.write(s) });
    out.write(`exit ${r.exitCode} (${seconds().toFixed(1)}s)\n`);
    // A report file (bandit's) is read before the scratch directory goes; a missing one reads empty (no report). The
    // scratch lies in the temp dir every repository command of the run can write, and bandit opens its report at
    // start, so a test running beside the scan can swap that name for a link to a file of the runner's or a FIFO:
    // only a regular file inside the scratch is read, without following a link or blocking (leftFiles.ts).
    const report = scan.report ? (readLeftText(scratch, scan.report) ?? "") : r.stdout;
    return { exitCode: r.exitCode, stdout: report, stderr: r.stderr, seconds: seconds() };
  } finally {
    out.flush();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Write a check's JSON report beside the stage's summary; the line saying where. */
export function saveQualityReport(dir: string, check: QualityCheckName, json: string): string {
  const out = join(dir, "fast-tests");
  mkdirSync(out, { recursive: true });
  const file = join(out, `quality-${check}.json`);
  writeFileSync(file, json);
  return `report: ${file}`;
}
