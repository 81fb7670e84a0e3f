/** The checks on values a valid shape can still get wrong (ranges, paths, thresholds), each naming the fix. */
import { ConfigError } from "./error";
import { defaultConfig, type PipelineConfig } from "./defaults";

export function checkValues(c: PipelineConfig, file: string): void {
  if (c.billing.ratePerMinute < 0)
    throw new ConfigError(
      file,
      "billing.ratePerMinute",
      `is ${c.billing.ratePerMinute}`,
      "use dollars per minute >= 0, such as 0.008",
    );
  const cov = c.thresholds.coverage;
  if (cov < 0 || cov > 100)
    throw new ConfigError(file, "thresholds.coverage", `is ${cov}, outside 0..100`, "use a percentage such as 85");
  for (const name of ["fastTests", "deploy", "e2e"] as const) {
    const t = c.thresholds[name];
    if (t.target <= 0 || t.alert < t.target) {
      throw new ConfigError(
        file,
        `thresholds.${name}`,
        `has target ${t.target} and alert ${t.alert}`,
        "use minutes with 0 < target <= alert",
      );
    }
  }
  checkE2e(c, file);
  checkDeploy(c, file);
  const port = c.services.mongo.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(file, "services.mongo.port", `is ${port}`, "use a TCP port between 1 and 65535");
  }
  for (const key of ["frontend.path", "backend.path"] as const) {
    const p = key === "frontend.path" ? c.frontend.path : c.backend.path;
    if (p.startsWith("/") || p.split("/").includes("..")) {
      throw new ConfigError(
        file,
        key,
        `is "${p}", outside the repository`,
        "use a path relative to the repository root, such as frontend",
      );
    }
  }
}

function checkE2e(c: PipelineConfig, file: string): void {
  const e = c.e2e;
  for (const key of ["shards", "readyAttempts"] as const) {
    if (!Number.isInteger(e[key]) || e[key] < 1)
      throw new ConfigError(
        file,
        `e2e.${key}`,
        `is ${e[key]}`,
        `use a whole number of at least 1, such as ${defaultConfig().e2e[key]}`,
      );
  }
  if (e.readyIntervalSeconds < 0)
    throw new ConfigError(
      file,
      "e2e.readyIntervalSeconds",
      `is ${e.readyIntervalSeconds}`,
      "use seconds >= 0, such as 10",
    );
  if (!e.healthPath.startsWith("/"))
    throw new ConfigError(file, "e2e.healthPath", `is "${e.healthPath}"`, "start it with /, such as /api/v1/health");
  if (e.testDir.startsWith("/") || e.testDir.split("/").includes("..")) {
    throw new ConfigError(
      file,
      "e2e.testDir",
      `is "${e.testDir}", outside the frontend`,
      "use a path relative to frontend.path, such as e2e",
    );
  }
}

function checkDeploy(c: PipelineConfig, file: string): void {
  const { keep, health } = c.deploy;
  checkAfterSwitch(c, file);
  if (!Number.isInteger(keep) || keep < 1)
    throw new ConfigError(
      file,
      "deploy.keep",
      `is ${keep}; at least the current release must stay`,
      "use an integer >= 1, such as 5",
    );
  for (const k of ["attempts", "failuresBeforeRollback"] as const) {
    if (!Number.isInteger(health[k]) || health[k] < 1)
      throw new ConfigError(file, `deploy.health.${k}`, `is ${health[k]}`, "use an integer >= 1");
  }
  if (!(health.intervalSeconds > 0))
    throw new ConfigError(
      file,
      "deploy.health.intervalSeconds",
      `is ${health.intervalSeconds}`,
      "use seconds > 0, such as 5",
    );
}

/** deploy.strategy, deploy.watch and deploy.canary.steps (issue 13). */
function checkAfterSwitch(c: PipelineConfig, file: string): void {
  const { strategy, watch, canary } = c.deploy;
  if (strategy !== "bluegreen" && strategy !== "canary")
    throw new ConfigError(file, "deploy.strategy", `is "${strategy}"`, "use bluegreen or canary");
  for (const k of ["windowSeconds", "errorRatePercent", "p95RollbackSeconds", "p95AlertSeconds"] as const) {
    if (!(watch[k] >= 0)) throw new ConfigError(file, `deploy.watch.${k}`, `is ${watch[k]}`, "use a number >= 0");
  }
  if (!Number.isInteger(watch.minRequests) || watch.minRequests < 1)
    throw new ConfigError(
      file,
      "deploy.watch.minRequests",
      `is ${watch.minRequests}`,
      "use an integer >= 1, such as 20",
    );
  if (watch.p95AlertSeconds > watch.p95RollbackSeconds)
    throw new ConfigError(
      file,
      "deploy.watch.p95AlertSeconds",
      `is ${watch.p95AlertSeconds}, above p95RollbackSeconds ${watch.p95RollbackSeconds}`,
      "alert below the rollback threshold, such as 2 and 5",
    );
  const s = canary.steps;
  const rising = s.every((v, i) => Number.isInteger(v) && v > 0 && v <= 100 && (i === 0 || v > s[i - 1]));
  if (!s.length || !rising || s.at(-1) !== 100)
    throw new ConfigError(
      file,
      "deploy.canary.steps",
      `is [${s.join(", ")}]`,
      "use rising whole percents ending at 100, such as [5, 25, 50, 100]",
    );
}
