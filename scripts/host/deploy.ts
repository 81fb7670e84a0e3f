/** Host-runner deploy commands: deploy-staging, deploy-production, rollback, staging-server (options in cli/). */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promotionRecordPath } from "../../ci/src/plan/deploy/promotion";
import { sshRemote } from "../deploy/remote";
import { readConfig } from "./config";
import { runDeployInputs, runRollbackInputs, type TargetName } from "./deployRun";
import { deployEnv, resolveTarget } from "./target";

export interface DeployFlags {
  source: string;
  config: string;
  artifact?: string;
  commit?: string;
  to?: string;
  keep?: string;
  "force-reason"?: string;
  strategy?: string;
}

/** `deploy-staging` / `deploy-production`: the host runner's deploy, settings from the environment and .env. */
export async function runDeploy(name: TargetName, f: DeployFlags): Promise<number> {
  const cfg = await readConfig(f.source, f.config);
  const env = deployEnv(name);
  return runDeployInputs({
    name,
    cfg,
    source: f.source,
    artifact: f.artifact,
    commit: f.commit,
    keep: f.keep === undefined ? undefined : Number(f.keep),
    forceReason: f["force-reason"],
    strategy: f.strategy,
    env,
    settings: () => resolveTarget(name, env),
    promotionRecord: (commit) => readStagingRecord(commit, env),
  });
}

/** `rollback`: back to the newest release that passed health (--target staging|production), or to --to <id>. */
export async function runRollback(name: TargetName, f: DeployFlags): Promise<number> {
  const cfg = await readConfig(f.source, f.config);
  const env = deployEnv(name);
  return runRollbackInputs({
    name,
    cfg,
    to: f.to,
    env,
    settings: () => resolveTarget(name, env, { appSecrets: false }),
  });
}

/** The E2E record for a commit: from staging over ssh, or the local .pipeline/e2e copy without a staging host. */
async function readStagingRecord(commit: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  const local = resolve(".pipeline/e2e", `${commit}.json`);
  const merged = { ...deployEnv("staging"), ...env };
  if (!merged.STAGING_SSH_HOST) return existsSync(local) ? readFileSync(local, "utf8") : undefined;
  const s = resolveTarget("staging", merged, { appSecrets: false });
  try {
    const r = await sshRemote({ ...s.target, keyFile: s.keyFile, knownHostsFile: s.knownHostsFile }).run(
      'cat "$1" 2>/dev/null || true',
      [join(s.target.basePath, promotionRecordPath(commit))],
    );
    return r.stdout;
  } finally {
    s.dispose();
  }
}
