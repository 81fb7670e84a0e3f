/**
 * Test runners use the cores the scheduler gives their step: jest and vitest get `--maxWorkers`, pytest gets
 * pytest-xdist's `-n`, each xdist worker with its own database (`{database}_gw0`, …) so tests sharing one stay
 * isolated. Pure: both runners call stepForCores with the cores the step graph granted.
 */
import type { Step } from "../job";

/** The pytest-xdist `uv run --with` adds when `backend.parallel: auto` asks for workers the project lacks. */
export const XDIST_REQUIREMENT = "pytest-xdist==3.8.0";

/** The plugin module (importable through PYTHONPATH, loaded by PYTEST_PLUGINS in every worker). */
export const WORKER_DB_MODULE = "pipeline_worker_db";

/** Env the plugin reads: the JSON map name → template with `{database}` left in, and the base database name. */
export const WORKER_DB_ENV = { templates: "PIPELINE_WORKER_DB_TEMPLATES", database: "PIPELINE_WORKER_DB_NAME" };

/**
 * Runs when pytest loads its plugins, before any conftest or test module: inside an xdist worker
 * (PYTEST_XDIST_WORKER=gw0, …), each variable named in the templates points at `<database>_<worker>`.
 */
export const WORKER_DB_PLUGIN = `"""Each pytest-xdist worker gets its own database (written by the CI pipeline)."""
import json
import os

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _name = os.environ["${WORKER_DB_ENV.database}"] + "_" + _worker
    for _var, _template in json.loads(os.environ.get("${WORKER_DB_ENV.templates}", "{}")).items():
        os.environ[_var] = _template.replace("{database}", _name)
`;

/** How a step's test runner takes a worker count. */
export interface Workers {
  runner: "jest" | "vitest" | "xdist";
  /** A requirement `uv run --with` adds (pytest-xdist when the project lacks it). */
  add?: string;
}

/** A Python module a step needs importable: the runner writes it to a folder it puts first on PYTHONPATH. */
export interface PythonModule {
  name: string;
  source: string;
}

/** The step as run with `cores`: the worker flag for its test runner (xdist only with two or more). */
export function stepForCores(step: Step, cores: number): Step {
  const w = step.workers;
  if (!w) return step;
  if (w.runner !== "xdist") return { ...step, argv: withScriptArgs(step.argv, [`--maxWorkers=${cores}`]) };
  // One worker is plain pytest: the plugin finds no PYTEST_XDIST_WORKER and leaves the database as it is.
  if (cores < 2) return step;
  const argv = w.add ? withUvRequirement(step.argv, w.add) : step.argv;
  return { ...step, argv: [...argv, "-n", String(cores)] };
}

/** A step's argv with `extra` passed to the tool: after `--` for `npm run` (npm would take them itself). */
function withScriptArgs(argv: string[], extra: string[]): string[] {
  const npmRun = argv[0] === "npm" && ["run", "run-script"].includes(argv[1]) && !argv.includes("--");
  return npmRun ? [...argv, "--", ...extra] : [...argv, ...extra];
}

/** `uv run … pytest` with `--with <req>` right after `run`, so the requirement joins the project's environment. */
function withUvRequirement(argv: string[], req: string): string[] {
  if (argv[0] !== "uv" || argv[1] !== "run") return argv;
  return [argv[0], argv[1], "--with", req, ...argv.slice(2)];
}
