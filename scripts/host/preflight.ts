import { InputError } from "../../ci/src/plan/errors";
import { printable } from "../../ci/src/plan/triggers/commits";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { which } from "zx";
import { repositoryEnv } from "../../ci/src/plan/env";
import { runRepositoryProcess, type ProcessResult } from "./exec";
import type { Job, ToolNeed } from "../../ci/src/plan/job";
import { findServiceBin } from "./services";
import { findPython, uvBroken } from "./python";
import { UV_VERSION } from "../../ci/src/plan/images";
import { satisfies } from "../../ci/src/plan/toolchain/semver";

/** A host tool that is missing or too old: one line saying what and how to install it. */
export class MissingToolError extends InputError {
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `missing tool: ${p}`).join("\n"));
  }
}

/** Check every tool and service command the jobs need, before anything starts; the checks run concurrently. */
export async function preflight(
  jobs: Job[],
  sourceDir: string,
  env: NodeJS.ProcessEnv,
  envFor: (job: Job) => NodeJS.ProcessEnv = () => env,
): Promise<void> {
  const checks = jobs.flatMap((job) => {
    const cwd = join(sourceDir, job.workdir);
    const tools = job.tools.map(async (tool) => {
      const p = await checkTool(tool, cwd, envFor(job));
      return p && `${job.name}: ${p}`;
    });
    const services = job.services.map(async (svc) =>
      (await findServiceBin(svc, env.PATH ?? ""))
        ? undefined
        : `${job.name}: ${svc.alias} server (${svc.host.candidates.map((c) => c.bin).join(" or ")}) not on PATH; ${svc.host.installHint}`,
    );
    return [...tools, ...services];
  });
  const problems = (await Promise.all(checks)).filter((p): p is string => Boolean(p));
  if (problems.length) throw new MissingToolError([...new Set(problems)]);
}

async function checkTool(tool: ToolNeed, cwd: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!(await which(tool.bin, { nothrow: true, path: env.PATH ?? "" })))
    return `${tool.bin} is not on PATH; ${tool.installHint}`;
  if (tool.minMajor !== undefined || tool.range) {
    const out = await versionOf(tool.bin, cwd, env);
    const version = out.stdout.trim();
    if (out.exitCode !== 0 || !version) {
      const said = printable((out.stderr.trim().split("\n")[0] ?? "").slice(0, 200));
      return `${tool.bin} --version did not answer (exit ${out.exitCode}${said ? `: ${said}` : ""}); ${tool.installHint}`;
    }
    const major = Number.parseInt(/(\d+)/.exec(version)?.[1] ?? "", 10);
    if (tool.minMajor !== undefined && !(major >= tool.minMajor))
      return `${tool.bin} ${version} is older than ${tool.minMajor}; ${tool.installHint}`;
    if (tool.range && !satisfies(version, tool.range.range))
      return `${tool.bin} ${version} is not in ${tool.range.range} (${tool.range.why}); ${tool.installHint}`;
  }
  if (tool.bin === "uv") {
    const broken = await uvBroken(env, cwd);
    if (broken) {
      return `uv is on PATH but does not run in ${cwd}: "${broken}". Use uv's own binary, not a pyenv shim (scripts/setup.sh links it into .tools/bin), or pip install uv==${UV_VERSION} for the Python that directory selects`;
    }
  }
  if (tool.python && !(await findPython(tool.python, env))) {
    return `no CPython ${tool.python} on this machine for uv; ${tool.installHint}`;
  }
  return undefined;
}

/**
 * What `bin --version` prints, asked as a repository command (confined, the allow-listed environment): the tool is
 * the one repository commands run, and what it loads at start (npm's own code, a pyenv shim's hooks) a repository
 * command may have written.
 */
async function versionOf(bin: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runRepositoryProcess([bin, "--version"], existsSync(cwd) ? cwd : tmpdir(), repositoryEnv(env));
}
