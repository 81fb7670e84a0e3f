/**
 * A deploy or rollback as the host runner runs it, whoever asked: the CLI (flags and environment, scripts/host/
 * deploy.ts) or the Dagger module (one typed request, scripts/host/deployRequest.ts). Every check comes first, then
 * the build, then the tasks under the lock; SIGINT and SIGTERM go through the failure path, so the lock and the key
 * copies never outlive the run.
 */
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { $, which } from "zx";
import type { PipelineConfig } from "../../ci/src/plan/config/defaults";
import { DeployInputError, planDeploy, type DeployPlan } from "../../ci/src/plan/deploy/stage";
import { checkPromotion, parsePromotionRecord, type PromotionRecord } from "../../ci/src/plan/deploy/promotion";
import { MANIFEST_FILE } from "../../ci/src/plan/deploy/artifact";
import type { DeployContext } from "../deploy/context";
import { deploy, DeployFailedError } from "../deploy/recipe";
import { reportDeploy } from "../deploy/report";
import { alertSender } from "../deploy/alerts";
import { sshRemote } from "../deploy/remote";
import { rollback } from "../deploy/rollback";
import { checkServer } from "../deploy/checkServer";
import { throwIfInterrupted, trapSignals } from "../deploy/interrupted";
import { buildArtifact, checkArtifact, checkArtifactCommit, checkBuildable, manifestDigest } from "./artifact";
import { promoteArtifact } from "./promote";
import { MissingToolError } from "./preflight";
import { redactAll } from "../../ci/src/plan/redact";
import { printable } from "../../ci/src/plan/triggers/commits";
import { checkSshFiles, type TargetSettings } from "./target";

export type TargetName = "staging" | "production";

/** What a deploy needs, however it was asked for. */
export interface DeployInputs {
  name: TargetName;
  cfg: PipelineConfig;
  source: string;
  /** A release built already; else the source is built. */
  artifact?: string;
  /** The commit; else the source's git HEAD. */
  commit?: string;
  keep?: number;
  forceReason?: string;
  strategy?: string;
  /** Alert webhooks (ALERT_WEBHOOK_*) and GITHUB_STEP_SUMMARY. */
  env: Record<string, string | undefined>;
  /** The target's settings; called after the checks that need none, since it writes the key copy. */
  settings: () => TargetSettings;
  /** Production: the E2E record's text for the commit (read from staging, or handed over by the module). */
  promotionRecord?: (commit: string) => Promise<string | undefined>;
  /** Production: staging's settings, to fetch the tested release when no fetched tree is given as `artifact`. */
  staging?: () => TargetSettings;
}

/** Run a deploy from its inputs; returns the exit code (0) or throws. */
export async function runDeployInputs(i: DeployInputs): Promise<number> {
  const traps = trapSignals(say);
  try {
    const paths = { frontend: i.cfg.frontend.path, backend: i.cfg.backend.path };
    const artifact = i.artifact === undefined ? undefined : checkArtifact(resolve(i.artifact));
    // Production builds only when forced without an artifact; otherwise it promotes staging's tested release.
    const builds = !artifact && (i.name !== "production" || Boolean(i.forceReason));
    if (builds) checkBuildable(i.source, paths);
    await checkTools(["ssh", "ssh-keygen", "rsync"]);
    const commit = i.commit ?? (await commitOf(i.source));
    // Production's E2E record is named by the full sha (.dep/e2e/<sha>.json), as the Dagger function requires; a short
    // one made the key copy and connected, then failed naming the record file (exit 1, a stack trace).
    if (i.name === "production" && !/^[0-9a-f]{40}$/.test(commit))
      throw new DeployInputError(
        "--commit",
        `${printable(commit)} is not a full 40-hex sha`,
        `pass the full sha (git rev-parse ${/^[0-9A-Fa-f]{4,39}$/.test(commit) ? commit : "HEAD"})`,
      );
    if (artifact) checkArtifactCommit(artifact, commit);
    const t = i.settings();
    try {
      const plan = planOf(i, t, commit);
      await checkSshFiles(t);
      const ctx = context(t, plan, "", traps.signal);
      ctx.state.startedAt = Date.now();
      return await runRedacted(t, async () => {
        await checkServer(ctx);
        const record = i.name === "production" ? await checkGate(plan, i) : undefined;
        const out = resolve(`.pipeline/artifacts/${plan.releaseId}`);
        const opts = { apiUrl: t.publicUrl, commit, log: say, paths, signal: traps.signal };
        const promote = { record: record!, fetched: artifact, staging: i.staging, out, log: say, signal: traps.signal };
        ctx.artifactDir = record
          ? await promoteArtifact(promote)
          : (artifact ?? (await buildArtifact(i.source, out, opts)));
        ctx.artifactDigest = digestOf(ctx.artifactDir);
        return runTasks(ctx, i.name, i.env);
      });
    } finally {
      t.dispose();
    }
  } finally {
    traps.dispose();
  }
}

function planOf(i: DeployInputs, t: TargetSettings, commit: string): DeployPlan {
  return planDeploy({
    target: t.target,
    commit,
    now: new Date(),
    keep: i.keep ?? i.cfg.deploy.keep,
    health: i.cfg.deploy.health,
    forceReason: i.forceReason,
    afterSwitch: afterSwitchOf(i.cfg, i.strategy),
  });
}

/** Run the tasks, report the outcome (alerts, step summary) and say what was deployed. */
async function runTasks(ctx: DeployContext, name: string, env: Record<string, string | undefined>): Promise<number> {
  throwIfInterrupted(ctx.abort);
  try {
    await deploy(ctx);
  } catch (e) {
    const message = (e as Error).message.replace(/^deploy failed at \w+: /, "");
    if (e instanceof DeployFailedError) await reportDeploy(ctx, name, env, { message, task: e.task });
    throw e;
  }
  await reportDeploy(ctx, name, env);
  const seconds = ((Date.now() - (ctx.state.startedAt ?? Date.now())) / 1000).toFixed(1);
  say(
    `deployed ${ctx.plan.releaseId} to ${name} (${ctx.remote.where}:${ctx.base}) in ${seconds}s, ${ctx.state.bytesSent} bytes sent`,
  );
  return 0;
}

/**
 * The tools this machine runs for a deploy (ssh, ssh-keygen for the key check, rsync for the upload), checked before
 * any key copy or connection: without one, the deploy took the lock, made the release and sent a critical alert before
 * failing at the upload ("rsync: command not found").
 */
async function checkTools(tools: string[]): Promise<void> {
  const missing = [];
  for (const tool of tools) if (!(await which(tool, { nothrow: true }))) missing.push(tool);
  const pkg = (tool: string) => (tool === "rsync" ? "rsync" : "openssh-client");
  if (missing.length)
    throw new MissingToolError(
      missing.map(
        (tool) => `${tool} is not on PATH; install it (apt-get install ${pkg(tool)}, or bash scripts/setup.sh)`,
      ),
    );
}

/** The commit a source is at; a source that is not a git checkout needs --commit. */
async function commitOf(source: string): Promise<string> {
  const r = await $({ cwd: source, quiet: true, nothrow: true })`git rev-parse --verify HEAD`;
  if (r.exitCode === 0) return r.stdout.trim();
  throw new DeployInputError(
    "--source",
    `${source} is not a git checkout with a commit (git rev-parse HEAD: ${r.stderr.trim().split("\n")[0]})`,
    "deploy from a git clone, or pass --commit <sha> with --artifact <a release built from that commit>",
  );
}

/** deploy.strategy (or --strategy), deploy.watch, deploy.canary.steps and deploy.migrate from pipeline.yaml. */
function afterSwitchOf(cfg: PipelineConfig, strategy?: string): DeployPlan["afterSwitch"] {
  const s = strategy ?? cfg.deploy.strategy;
  if (s !== "bluegreen" && s !== "canary")
    throw new DeployInputError("--strategy", `is "${s}"`, "pass --strategy bluegreen or --strategy canary");
  const { watch, canary, migrate, migrateTimeoutSeconds } = cfg.deploy;
  return { watch, strategy: s, canarySteps: canary.steps, migrate, migrateTimeoutSeconds };
}

/**
 * Production only with a green E2E record for the commit on staging (returned: it names the artifact to promote),
 * unless a force reason says why (then the commit is built, as named in the log).
 */
async function checkGate(plan: DeployPlan, i: DeployInputs): Promise<PromotionRecord | undefined> {
  if (i.forceReason) {
    say(`E2E gate skipped: --force-reason "${i.forceReason}" (logged in releases.jsonl)`);
    say(
      `forced: ${i.artifact ? "the given --artifact" : "a build of the commit"} is deployed, not an artifact E2E tested`,
    );
    return undefined;
  }
  const record = parsePromotionRecord(await i.promotionRecord?.(plan.commit));
  const verdict = checkPromotion(record, plan.commit);
  if (!verdict.ok) throw new DeployInputError("deploy-production", "refused", verdict.reason);
  return record;
}

/** The artifact's digest from its MANIFEST; undefined for a release built before releases carried one. */
function digestOf(dir: string): string | undefined {
  const file = join(dir, MANIFEST_FILE);
  return existsSync(file) ? manifestDigest(readFileSync(file)) : undefined;
}

/** What a rollback needs, however it was asked for. */
export interface RollbackInputs {
  name: TargetName;
  cfg: PipelineConfig;
  to?: string;
  env: Record<string, string | undefined>;
  settings: () => TargetSettings;
}

/** Roll back to the newest release that passed health, or to `to`; alert; returns the exit code (0) or throws. */
export async function runRollbackInputs(i: RollbackInputs): Promise<number> {
  const traps = trapSignals(say);
  await checkTools(["ssh", "ssh-keygen"]);
  const t = i.settings();
  try {
    const plan = planDeploy({
      target: t.target,
      commit: "0000000",
      now: new Date(),
      keep: i.cfg.deploy.keep,
      health: i.cfg.deploy.health,
    });
    await checkSshFiles(t);
    const ctx = context(t, plan, "", traps.signal);
    const started = Date.now();
    const id = await runRedacted(t, () => rollback(ctx, i.to, i.name));
    say(`rolled back ${i.name} to ${id} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const send = alertSender(i.env, ctx.log, Object.values(t.secrets));
    await send({ kind: "rollback", text: `${i.name} rolled back by hand to ${id} (by ${ctx.by})` });
    return 0;
  } finally {
    t.dispose();
    traps.dispose();
  }
}

function context(t: TargetSettings, plan: DeployPlan, artifactDir: string, abort: AbortSignal): DeployContext {
  const secrets = Object.values(t.secrets);
  return {
    remote: remoteOf(t),
    base: t.target.basePath,
    plan,
    artifactDir,
    secrets: t.secrets,
    by: `${process.env.USER ?? "?"}@${hostname()} pid ${process.pid}`,
    target: t.target.name === "production" ? "production" : "staging",
    log: (s) => say(redactAll(s, secrets)),
    abort,
    state: { locked: false, created: false, switched: false },
  };
}

function remoteOf(t: TargetSettings) {
  return sshRemote({
    ...t.target,
    keyFile: t.keyFile,
    knownHostsFile: t.knownHostsFile,
    controlDir: t.controlDir,
    typed: t.typed,
  });
}

/** Run, close the SSH connection, and make sure no secret survives in an error message. */
async function runRedacted<T>(t: TargetSettings, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error) e.message = redactAll(e.message, Object.values(t.secrets));
    throw e;
  } finally {
    await remoteOf(t).close();
  }
}

function say(s: string): void {
  console.log(`[deploy] ${s}`);
}
