/** The Dagger adapter of the quality checks: each scan a container from its image, with the source or the repo. */
import { dirname } from "node:path";
import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { CONTAINER_SOURCE, containerWorkdir } from "../plan/job";
import { withScratch, type Scan, type ScanOutput } from "../plan/quality/scan";
import { isExecError } from "./execError";

/** Where a scan keeps its own files (tool installs, configs) inside its container. */
export const CONTAINER_SCRATCH = "/scratch";

/** The trees a scan may read: the application source, and the git repository for a pull request's commits. */
export interface ScanTrees {
  source: Directory;
  repo?: Directory;
}

/** Build a scan's container up to its installs: image, caches, env, its files, the tree at /src. */
export function scanContainer(trees: ScanTrees, scan: Scan): Container {
  const tree = scan.tree === "repo" && trees.repo ? trees.repo : trees.source;
  let c = dag.container().from(scan.image);
  for (const m of scan.caches) c = c.withMountedCache(m.path, dag.cacheVolume(m.key));
  for (const [k, v] of Object.entries(scan.env)) c = c.withEnvVariable(k, v);
  for (const f of scan.files) c = c.withNewFile(f.path, f.text);
  if (scan.report) c = c.withDirectory(dirname(scan.report), dag.directory());
  c = c.withDirectory(CONTAINER_SOURCE, tree).withWorkdir(containerWorkdir(scan));
  for (const s of scan.install) c = c.withExec(s.argv);
  return c;
}

/**
 * Run one scan: installs must pass; the scan's own exit code and streams are read, whatever they are. A scan with a
 * report file is read from it (a missing file reads empty: "printed no report"), never from the exec's stdout, which
 * `dagger call` prints.
 */
export async function runScan(trees: ScanTrees, given: Scan): Promise<ScanOutput> {
  const started = Date.now();
  const scan = withScratch(given, CONTAINER_SCRATCH);
  const seconds = () => (Date.now() - started) / 1000;
  try {
    const run = scanContainer(trees, scan).withExec(scan.steps[0].argv, { expect: ReturnType.Any });
    const report = scan.report
      ? run
          .file(scan.report)
          .contents()
          .catch(() => "")
      : run.stdout();
    const [exitCode, stdout, stderr] = await Promise.all([run.exitCode(), report, run.stderr()]);
    return { exitCode, stdout, stderr, seconds: seconds() };
  } catch (e) {
    if (!isExecError(e)) throw e;
    const step = scan.install.find((s) => s.argv.join("\u0000") === e.cmd.join("\u0000"));
    const failedStep = step?.name ?? e.cmd.join(" ");
    return { exitCode: e.exitCode, stdout: "", stderr: e.stderr, failedStep, seconds: seconds() };
  }
}
