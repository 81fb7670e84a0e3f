import type { PipelineConfig } from "../config/defaults";
import { UV_VERSION } from "../images";
import { toArgv } from "../config/command";
import type { Job, Step } from "../job";
import { planMongoService } from "./mongo";
import { thresholdOf } from "../config/thresholds";
import { POETRY_ENV, pyInstall, pyManifests } from "../toolchain/python";
import { WORKER_DB_MODULE, WORKER_DB_PLUGIN, XDIST_REQUIREMENT, type Workers } from "./workers";

/** What every backend job shares, by its package manager: manifests, frozen and root installs, caches, env. */
export interface BackendToolchain extends Pick<Job, "workdir" | "manifests" | "install" | "caches" | "env"> {
  /** Steps that need the source (Poetry installs the project's own package); the job's tests wait for them. */
  root: Step[];
}

/** The backend's toolchain as fast-tests and the E2E pytest both run it (uv, Poetry or requirements files). */
export function backendToolchain(c: PipelineConfig): BackendToolchain {
  const be = c.backend;
  const steps = pyInstall(be.packageManager, be.requirements);
  return {
    workdir: be.path,
    manifests: pyManifests(be.packageManager, be.requirements, be.requirementIncludes),
    install: [
      // `uv pip install` installs into the .venv this makes; the other managers make their own.
      ...steps.deps.slice(0, -1).map((argv) => ({ name: "venv", argv })),
      { name: "install", argv: installArgv(c) },
    ],
    root: steps.root.map((argv) => ({ name: "install-root", argv })),
    caches: [
      { key: `${c.cacheNamespace}-uv`, path: "/root/.cache/uv" },
      ...(be.packageManager === "poetry" ? [{ key: `${c.cacheNamespace}-poetry`, path: "/root/.cache/pypoetry" }] : []),
    ],
    env: { ...(be.packageManager === "poetry" ? POETRY_ENV : {}), ...be.env },
  };
}

/** Plan the backend job: a frozen install (uv, Poetry or uv pip), then pytest with coverage against MongoDB. */
export function planBackendJob(c: PipelineConfig): Job {
  const be = c.backend;
  const { root, ...tc } = backendToolchain(c);
  const xdist = pytestWorkers(c);
  return {
    name: "backend",
    stage: "fast-tests",
    image: be.image,
    ...tc,
    // Poetry installs the project's own package once its source is there (a src/ layout is imported, not found).
    // pytest waits for it: run beside it, the package is not importable yet.
    steps: [
      ...root,
      {
        name: "pytest",
        argv: pytestArgv(c),
        ...(root.length ? { after: ["install-root"] } : {}),
        ...(xdist
          ? {
              workers: xdist,
              python: { name: WORKER_DB_MODULE, source: WORKER_DB_PLUGIN },
              env: { PYTEST_PLUGINS: [be.env.PYTEST_PLUGINS, WORKER_DB_MODULE].filter(Boolean).join(",") },
            }
          : {}),
      },
    ],
    // uv picks this interpreter (the image's in Dagger; the host runner narrows it to a path it found).
    env: { ...tc.env, UV_PYTHON: be.pythonVersion },
    services: [planMongoService(c, xdist !== undefined)],
    tools: [
      { bin: "uv", installHint: `pip install uv==${UV_VERSION} (or run scripts/setup.sh)` },
      {
        bin: "uv",
        python: be.pythonVersion,
        installHint: `install CPython ${be.pythonVersion} (pyenv install ${be.pythonVersion}, or apt-get install python${be.pythonVersion}), or set backend.pythonVersion in pipeline.yaml`,
      },
    ],
    artifacts: ["coverage.xml", "junit.xml"],
    threshold: thresholdOf(c.thresholds.fastTests),
  };
}

/**
 * pytest-xdist for the pytest step: when `backend.parallel: auto` asks for it (added to `uv run` if the project lacks
 * it) or, unless it is `off`, when pyproject.toml declares it; undefined: plain pytest.
 */
export function pytestWorkers(c: PipelineConfig): Workers | undefined {
  const be = c.backend;
  if (be.parallel === "off" || (be.parallel !== "auto" && !be.declaresXdist)) return undefined;
  return be.declaresXdist ? { runner: "xdist" } : { runner: "xdist", add: XDIST_REQUIREMENT };
}

/** `uv sync` plus the extras and groups that hold the test tools (other install commands run as written). */
export function installArgv(c: PipelineConfig): string[] {
  const argv = toArgv(c.backend.install, "backend.install");
  if (argv[0] !== "uv" || argv[1] !== "sync") return argv;
  const extras = (c.backend.extras ?? []).flatMap((e) => ["--extra", e]);
  const groups = (c.backend.groups ?? []).flatMap((g) => ["--group", g]);
  return [...argv, ...extras, ...groups];
}

/** The pytest command: coverage gate, JUnit report and the deselected (E2E) tests. */
export function pytestArgv(c: PipelineConfig): string[] {
  const be = c.backend;
  const markers = be.deselectMarkers.length ? ["-m", be.deselectMarkers.map((m) => `not ${m}`).join(" and ")] : [];
  return [
    ...toArgv(be.test, "backend.test"),
    ...markers,
    ...be.deselect.flatMap((id) => ["--deselect", id]),
    `--cov=${be.coverageSource}`,
    "--cov-report=term-missing",
    "--cov-report=xml:coverage.xml",
    `--cov-fail-under=${c.thresholds.coverage}`,
    "--junitxml=junit.xml",
  ];
}
