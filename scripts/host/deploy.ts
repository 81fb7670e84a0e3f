/** Host-runner deploy commands: deploy-staging, deploy-production, rollback, staging-server (options in cli/). */
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { $ } from "zx";
import { DeployInputError, planDeploy, type DeployPlan } from "../../ci/src/plan/deploy/stage";
import { checkPromotion, parsePromotionRecord, promotionRecordPath } from "../../ci/src/plan/deploy/promotion";
import type { DeployContext } from "../deploy/context";
import { deploy, DeployFailedError } from "../deploy/recipe";
import { reportDeploy } from "../deploy/report";
import { alertSender } from "../deploy/alerts";
import { sshRemote } from "../deploy/remote";
import { rollback } from "../deploy/rollback";
import { buildArtifact } from "./artifact";
import { readConfig } from "./config";
import { deployEnv, redact, resolveTarget, type TargetSettings } from "./target";
import { startStagingServer, stagingStatus, stopStagingServer } from "./staging/server";
import type { PipelineConfig } from "../../ci/src/plan/config/defaults";

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

/** `deploy-staging` / `deploy-production`: build once (or take --artifact), then run the deploy tasks over SSH. */
export async function deployCommand(name: "staging" | "production", f: DeployFlags): Promise<number> {
  const cfg = await readConfig(f.source, f.config);
  const env = deployEnv(name);
  const t = resolveTarget(name, env);
  try {
    const commit = f.commit ?? (await $({ cwd: f.source, quiet: true })`git rev-parse HEAD`).stdout.trim();
    const keep = f.keep === undefined ? cfg.deploy.keep : Number(f.keep);
    const plan = planDeploy({
      target: t.target,
      commit,
      now: new Date(),
      keep,
      health: cfg.deploy.health,
      forceReason: f["force-reason"],
      afterSwitch: afterSwitchOf(cfg, f.strategy),
    });
    if (name === "production") await checkGate(plan, env, f["force-reason"]);
    const started = Date.now();
    const artifactDir = f.artifact
      ? resolve(f.artifact)
      : await buildArtifact(f.source, resolve(`.pipeline/artifacts/${plan.releaseId}`), {
          apiUrl: t.publicUrl,
          commit,
          log: say,
        });
    const ctx = context(t, plan, artifactDir);
    ctx.state.startedAt = started;
    try {
      await runRedacted(t, () => deploy(ctx));
    } catch (e) {
      const message = (e as Error).message.replace(/^deploy failed at \w+: /, "");
      if (e instanceof DeployFailedError) await reportDeploy(ctx, name, env, { message, task: e.task });
      throw e;
    }
    await reportDeploy(ctx, name, env);
    say(
      `deployed ${plan.releaseId} to ${name} (${t.target.host}:${t.target.basePath}) in ${((Date.now() - started) / 1000).toFixed(1)}s, ${ctx.state.bytesSent} bytes sent`,
    );
    return 0;
  } finally {
    t.dispose();
  }
}

/** deploy.strategy (or --strategy), deploy.watch, deploy.canary.steps and deploy.migrate from pipeline.yaml. */
function afterSwitchOf(cfg: PipelineConfig, strategy?: string): DeployPlan["afterSwitch"] {
  const s = strategy ?? cfg.deploy.strategy;
  if (s !== "bluegreen" && s !== "canary")
    throw new DeployInputError("--strategy", `is "${s}"`, "pass --strategy bluegreen or --strategy canary");
  const { watch, canary, migrate } = cfg.deploy;
  return { watch, strategy: s, canarySteps: canary.steps, migrate };
}

/** `rollback`: back to the previous good release of the target (--target staging|production), or to --to <id>. */
export async function rollbackCommand(name: "staging" | "production", f: DeployFlags): Promise<number> {
  const cfg = await readConfig(f.source, f.config);
  const t = resolveTarget(name, deployEnv(name));
  try {
    const plan = planDeploy({
      target: t.target,
      commit: "0000000",
      now: new Date(),
      keep: cfg.deploy.keep,
      health: cfg.deploy.health,
    });
    const ctx = context(t, plan, "");
    const started = Date.now();
    const id = await runRedacted(t, () => rollback(ctx, f.to));
    say(`rolled back ${name} to ${id} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    await alertSender(
      deployEnv(name),
      ctx.log,
      Object.values(t.secrets),
    )({
      kind: "rollback",
      text: `${name} rolled back by hand to ${id} (by ${ctx.by})`,
    });
    return 0;
  } finally {
    t.dispose();
  }
}

function context(t: TargetSettings, plan: DeployPlan, artifactDir: string): DeployContext {
  const remote = sshRemote({
    ...t.target,
    keyFile: t.keyFile,
    knownHostsFile: t.knownHostsFile,
    controlDir: t.controlDir,
  });
  const secrets = Object.values(t.secrets);
  return {
    remote,
    base: t.target.basePath,
    plan,
    artifactDir,
    secrets: t.secrets,
    by: `${process.env.USER ?? "?"}@${hostname()} pid ${process.pid}`,
    log: (s) => say(redact(s, secrets)),
    state: { locked: false, created: false, switched: false },
  };
}

/** Run, close the SSH connection, and make sure no secret survives in an error message. */
async function runRedacted<T>(t: TargetSettings, fn: () => Promise<T>): Promise<T> {
  const remote = sshRemote({
    ...t.target,
    keyFile: t.keyFile,
    knownHostsFile: t.knownHostsFile,
    controlDir: t.controlDir,
  });
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error) e.message = redact(e.message, Object.values(t.secrets));
    throw e;
  } finally {
    await remote.close();
  }
}

/** Production only with a green E2E record for the commit on staging, unless --force-reason says why. */
async function checkGate(plan: DeployPlan, env: Record<string, string | undefined>, force?: string): Promise<void> {
  if (force) return say(`E2E gate skipped: --force-reason "${force}" (logged in releases.jsonl)`);
  const text = await readStagingRecord(plan.commit, env);
  const verdict = checkPromotion(parsePromotionRecord(text), plan.commit);
  if (!verdict.ok) throw new DeployInputError("deploy-production", "refused", verdict.reason);
}

async function readStagingRecord(commit: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  const local = resolve(".pipeline/e2e", `${commit}.json`);
  const merged = { ...deployEnv("staging"), ...env };
  if (!merged.STAGING_SSH_HOST) return existsSync(local) ? readFileSync(local, "utf8") : undefined;
  const s = resolveTarget("staging", merged);
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

/** `staging-server start|stop|status`. */
export async function stagingServerCommand(action: string | undefined): Promise<number> {
  if (action === "start") {
    const s = await startStagingServer();
    console.log(`${stagingStatus(s.dir)}\nnext: npm run pipeline -- deploy-staging`);
    return 0;
  }
  if (action === "stop") {
    await stopStagingServer();
    console.log("staging server stopped");
    return 0;
  }
  if (action === "status") return (console.log(stagingStatus()), 0);
  console.error("usage: npm run pipeline -- staging-server start|stop|status");
  return 2;
}

function say(s: string): void {
  console.log(`[deploy] ${s}`);
}
