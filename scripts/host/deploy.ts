/** Host-runner deploy commands: deploy-staging, deploy-production, rollback, staging-server (options in cli/). */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promotionRecordScript } from "../../ci/src/plan/deploy/promotion";
import { sshRemote } from "../deploy/remote";
import type { PipelineConfig } from "../../ci/src/plan/config/defaults";
import { readConfig } from "./config";
import { runDeployInputs, runRollbackInputs, type TargetName } from "./deployRun";
import { StageFailure } from "../../ci/src/plan/errors";
import { checkSshFiles, deployEnv, overlaySettings, resolveTarget } from "./target";

/** What the deploy commands were given, as commander parsed and checked it (cli/deploy.ts). */
export interface DeployFlags {
  source: string;
  config: string;
  artifact?: string;
  commit?: string;
  keep?: number;
  strategy?: string;
  forceReason?: string;
}

/** `deploy-staging` / `deploy-production`: the host runner's deploy, settings from the environment and .env. */
export async function runDeploy(name: TargetName, f: DeployFlags): Promise<number> {
  const { source, artifact, commit, keep, forceReason, strategy } = f;
  const { cfg, env } = await settingsOf(name, f);
  return runDeployInputs({
    ...{ name, cfg, env, source, artifact, commit, keep, forceReason, strategy },
    settings: () => resolveTarget(name, env),
    promotionRecord: (sha) => readStagingRecord(sha, env),
    staging: () => resolveTarget("staging", overlaySettings(deployEnv("staging"), env), { appSecrets: false }),
  });
}

/** `rollback`: back to the newest release that passed health (--target staging|production), or to --to <id>. */
export async function runRollback(name: TargetName, f: DeployFlags & { to?: string }): Promise<number> {
  const { cfg, env } = await settingsOf(name, f);
  return runRollbackInputs({
    name,
    cfg,
    env,
    to: f.to,
    settings: () => resolveTarget(name, env, { appSecrets: false }),
  });
}

/** The config inside --source, and the target's settings from the environment and .env. */
async function settingsOf(
  name: TargetName,
  f: DeployFlags,
): Promise<{ cfg: PipelineConfig; env: Record<string, string | undefined> }> {
  return { cfg: await readConfig(f.source, f.config), env: deployEnv(name) };
}

/** The E2E record for a commit: from staging over ssh, or the local .pipeline/e2e copy without a staging host. */
export async function readStagingRecord(
  commit: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const local = resolve(".pipeline/e2e", `${commit}.json`);
  const merged = overlaySettings(deployEnv("staging"), env);
  if (!merged.STAGING_SSH_HOST) return existsSync(local) ? readFileSync(local, "utf8") : undefined;
  const s = resolveTarget("staging", merged, { appSecrets: false });
  try {
    await checkSshFiles(s);
    const remote = sshRemote({ ...s.target, keyFile: s.keyFile, knownHostsFile: s.knownHostsFile, typed: s.typed });
    const r = await remote.run(promotionRecordScript(s.target.basePath, commit));
    // The remote script itself always exits 0: anything else is ssh failing, not a missing record.
    if (r.code !== 0)
      throw new StageFailure(
        `reading the E2E record for ${commit.slice(0, 7)} on staging (${s.target.user}@${s.target.host}:${s.target.basePath}) over ssh failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-2).join(" ")}. Check the connection: ${remote.typed("true")}`,
      );
    return r.stdout;
  } finally {
    s.dispose();
  }
}
