import { InputError } from "../../ci/src/plan/errors";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { $, which } from "zx";
import type { Job, ToolNeed } from "../../ci/src/plan/job";
import { findServiceBin } from "./services";

/** A host tool that is missing or too old: one line saying what and how to install it. */
export class MissingToolError extends InputError {
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `missing tool: ${p}`).join("\n"));
  }
}

/** Check every tool and service command the jobs need, before anything starts; the checks run concurrently. */
export async function preflight(jobs: Job[], sourceDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const checks = jobs.flatMap((job) => {
    const cwd = join(sourceDir, job.workdir);
    const tools = job.tools.map(async (tool) => {
      const p = await checkTool(tool, cwd, env);
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
  if (tool.minMajor !== undefined) {
    const out = await $({ env, quiet: true, nothrow: true })`${tool.bin} --version`;
    const major = Number.parseInt(/(\d+)/.exec(out.stdout)?.[1] ?? "", 10);
    if (!(major >= tool.minMajor))
      return `${tool.bin} ${out.stdout.trim()} is older than ${tool.minMajor}; ${tool.installHint}`;
  }
  if (tool.requiresPython) {
    const spec = requiresPython(join(cwd, tool.requiresPython));
    if (spec) {
      const found = await $({
        cwd,
        env: { ...env, UV_PYTHON_DOWNLOADS: "never" },
        quiet: true,
        nothrow: true,
      })`uv python find ${spec}`;
      if (found.exitCode !== 0)
        return `no Python on this machine satisfies requires-python "${spec}" (${tool.requiresPython}); ${tool.installHint}`;
    }
  }
  return undefined;
}

/** The `requires-python` of a pyproject.toml, if it has one. */
export function requiresPython(pyproject: string): string | undefined {
  if (!existsSync(pyproject)) return undefined;
  return /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(readFileSync(pyproject, "utf8"))?.[1];
}
