/** The checks that weigh one value against another, on the merged config (each value's own bounds are in schema.ts). */
import { ConfigError } from "./error";
import type { PipelineConfig } from "./defaults";
import { checkStepGraph } from "../fastTests/graph";

/** The longest a deploy may wait on health probes while it holds the lock, in seconds. */
export const MAX_HEALTH_WAIT_SECONDS = 600;
/** The longest E2E may wait for the app to answer, in seconds. */
export const MAX_READY_WAIT_SECONDS = 1800;

export function checkValues(c: PipelineConfig, file: string): void {
  for (const name of ["fastTests", "deploy", "e2e"] as const) {
    const t = c.thresholds[name];
    if (t.alert < t.target) {
      throw new ConfigError(
        file,
        `thresholds.${name}`,
        `has target ${t.target} and alert ${t.alert}`,
        "use minutes with 0 < target <= alert",
      );
    }
  }
  const ready = c.e2e.readyAttempts * c.e2e.readyIntervalSeconds;
  if (ready > MAX_READY_WAIT_SECONDS)
    throw new ConfigError(
      file,
      "e2e",
      `waits up to readyAttempts × readyIntervalSeconds = ${ready} s for the app; it must be at most ${MAX_READY_WAIT_SECONDS} s`,
      "use fewer readyAttempts or a shorter readyIntervalSeconds, such as 30 × 10",
    );
  checkDeploy(c, file);
  checkFrontendSteps(c, file);
  checkParallel(c, file);
}

/** `backend.parallel: auto` needs pytest-xdist: declared by the project, or added by `uv run --with`. */
function checkParallel(c: PipelineConfig, file: string): void {
  const be = c.backend;
  const test = typeof be.test === "string" ? be.test.trim().split(/\s+/) : be.test;
  if (be.parallel !== "auto" || be.declaresXdist || (test[0] === "uv" && test[1] === "run")) return;
  throw new ConfigError(
    file,
    "backend.parallel",
    `is auto, but pyproject.toml does not declare pytest-xdist and backend.test (${test.join(" ")}) is not uv run, which could add it`,
    "add pytest-xdist to the project's test dependencies, or set backend.parallel: off",
  );
}

/** Every step named in frontend.after/cores exists, and the waits have no cycle. */
function checkFrontendSteps(c: PipelineConfig, file: string): void {
  const { steps, after, cores } = c.frontend;
  const names = Object.keys(steps);
  for (const [key, map] of [
    ["after", after],
    ["cores", cores],
  ] as const) {
    const stray = Object.keys(map).find((n) => !names.includes(n));
    if (stray !== undefined)
      throw new ConfigError(
        file,
        `frontend.${key}.${stray}`,
        "names no step",
        `use one of frontend.steps: ${names.join(", ")}`,
      );
  }
  const nodes = names.map((name) => ({ name, after: after[name] ?? [], cores: cores[name] ?? 1 }));
  checkStepGraph(nodes, file, "frontend.after");
}

function checkDeploy(c: PipelineConfig, file: string): void {
  const { health, watch, canary } = c.deploy;
  const wait = health.attempts * health.intervalSeconds;
  if (wait > MAX_HEALTH_WAIT_SECONDS)
    throw new ConfigError(
      file,
      "deploy.health",
      `waits up to attempts × intervalSeconds = ${wait} s while holding the deploy lock; it must be at most ${MAX_HEALTH_WAIT_SECONDS} s`,
      "use fewer attempts or a shorter intervalSeconds, such as 10 × 5",
    );
  if (watch.p95AlertSeconds > watch.p95RollbackSeconds)
    throw new ConfigError(
      file,
      "deploy.watch.p95AlertSeconds",
      `is ${watch.p95AlertSeconds}, above p95RollbackSeconds ${watch.p95RollbackSeconds}`,
      "alert below the rollback threshold, such as 2 and 5",
    );
  const s = canary.steps;
  const rising = s.every((v, i) => i === 0 || v > s[i - 1]);
  if (!rising || s.at(-1) !== 100)
    throw new ConfigError(
      file,
      "deploy.canary.steps",
      `is [${s.join(", ")}]`,
      "use rising whole percents ending at 100, such as [5, 25, 50, 100]",
    );
}
