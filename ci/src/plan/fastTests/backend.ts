import { UV_VERSION, type PipelineConfig } from "../config/defaults";
import { toArgv } from "../config/parse";
import type { Job } from "../job";
import { planMongoService } from "./mongo";
import { thresholdOf } from "../config/thresholds";

/** Plan the backend job: uv sync on the lock, then pytest with coverage against MongoDB. */
export function planBackendJob(c: PipelineConfig): Job {
  const be = c.backend;
  return {
    name: "backend",
    stage: "fast-tests",
    image: be.image,
    workdir: be.path,
    manifests: ["pyproject.toml", "uv.lock"],
    install: [{ name: "install", argv: toArgv(be.install, "backend.install") }],
    steps: [{ name: "pytest", argv: pytestArgv(c) }],
    caches: [{ key: `${c.cacheNamespace}-uv`, path: "/root/.cache/uv" }],
    env: be.env,
    services: [planMongoService(c)],
    tools: [
      { bin: "uv", installHint: `pip install uv==${UV_VERSION} (or run scripts/setup.sh)` },
      {
        bin: "python3",
        requiresPython: "pyproject.toml",
        installHint: "install a matching CPython (apt-get install python3, or pyenv install) or relax requires-python",
      },
    ],
    artifacts: ["coverage.xml", "junit.xml"],
    threshold: thresholdOf(c.thresholds.fastTests),
  };
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
