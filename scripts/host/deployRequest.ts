/**
 * The host runner's side of the Dagger deploy: one typed request (JSON, ci/src/plan/deploy/request.ts), checked by
 * the same validator the module used, then the same deploy or rollback as the CLI's. Settings come from the request
 * and secrets from the mounted files it names; nothing is read from environment variables.
 */
import { existsSync, readFileSync } from "node:fs";
import { ALERT_ENV, type Severity } from "../../ci/src/plan/deploy/alerts";
import { parseDeployRequestJson, type DeployRequest } from "../../ci/src/plan/deploy/request";
import { DeployInputError } from "../../ci/src/plan/deploy/stage";
import { readConfig } from "./config";
import { runDeployInputs, runRollbackInputs } from "./deployRun";
import { targetFromFiles } from "./target";

/** Run the request in `file`; returns the exit code or throws (InputError: 2, StageFailure: 1). */
export async function deployRequestCommand(file: string | undefined): Promise<number> {
  if (!file || !existsSync(file))
    throw new DeployInputError("request", `file ${file ?? "(none)"} does not exist`, "pass the request's path");
  const req = parseDeployRequestJson(readFileSync(file, "utf8"));
  const cfg = await readConfig(req.source, req.config);
  const env = alertEnv(req);
  const name = req.target.name;
  const settings = (appSecrets: boolean) => () =>
    targetFromFiles(req.target, req.files, { publicUrl: req.publicUrl, appSecrets });
  if (req.action === "rollback") return runRollbackInputs({ name, cfg, to: req.to, env, settings: settings(false) });
  return runDeployInputs({
    name,
    cfg,
    source: req.source,
    artifact: req.artifact,
    commit: req.commit,
    keep: req.keep,
    forceReason: req.forceReason,
    env,
    settings: settings(true),
    promotionRecord: async () => req.promotionRecord,
  });
}

/** The alert webhooks from their mounted files, in the shape the alert sender reads. */
function alertEnv(req: DeployRequest): Record<string, string | undefined> {
  const entries = Object.entries(req.files.alerts) as [Severity, string][];
  return Object.fromEntries(entries.map(([severity, path]) => [ALERT_ENV[severity], readMounted(path, severity)]));
}

function readMounted(path: string, what: string): string {
  if (!existsSync(path))
    throw new DeployInputError(what, `is to be mounted at ${path}, which does not exist`, "mount the secret there");
  return readFileSync(path, "utf8");
}
