/**
 * The Dagger runner of the deploy: build the release once, then run the host runner's own
 * deploy/rollback command (scripts/pipeline.ts, from the `repo` Directory) in a container that
 * holds ssh and rsync. The SSH key and known_hosts are mounted secrets (0600), app secrets are
 * secret variables: no plaintext ever enters a query or an argv.
 */
import { StageFailure } from "../plan/errors";
import { dag, type Container, type Directory, type Secret } from "@dagger.io/dagger";
import { isExecError } from "./execError";
import { readConfig } from "./config";
import {
  appSecretVariable,
  buildArgv,
  checkGateInputs,
  DEPLOY_PACKAGES,
  DEPLOY_PATHS,
  deployArgv,
  gateRecordPath,
  keyPath,
  knownHostsPath,
  recordReadArgv,
  rollbackArgv,
  targetEnv,
  targetOf,
  type AppSecretArg,
  type TargetName,
} from "../plan/deploy/call";
import { DeployInputError, planDeploy, type DeployTarget } from "../plan/deploy/stage";
import { ALERT_ENV, type Severity } from "../plan/deploy/alerts";
import { checkPromotion, parsePromotionRecord } from "../plan/deploy/promotion";
import { NORMALISED_KEY, SSH_KEY_TMPFS, withNormalisedKey } from "../plan/deploy/sshKey";

/** An SSH endpoint as the functions take it. */
export interface SshArgs {
  host: string;
  user: string;
  port: number;
  basePath: string;
  sshKey: Secret;
  knownHosts: Secret;
}

export interface DaggerDeployArgs extends SshArgs {
  source: Directory;
  repo: Directory;
  config: string;
  commit: string;
  keep?: number;
  publicUrl?: string;
  secrets: Partial<Record<AppSecretArg, Secret>>;
  /** Alert webhooks per severity; the host runner in the container routes the deploy's events to them. */
  alerts?: Partial<Record<Severity, Secret>>;
}

export interface DaggerPromoteArgs extends DaggerDeployArgs {
  staging: Partial<SshArgs>;
  forceReason?: string;
}

/** A deploy container's command that failed; carries the host runner's own message (already redacted by it). */
export class DaggerDeployError extends StageFailure {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    said: string,
  ) {
    super(
      `${command} failed in the deploy container (exit ${exitCode}):\n${said.trim().split("\n").slice(-12).join("\n")}`,
    );
  }
}

/** Validate, build once, then run the host runner's `deploy-<name>`; returns its log. */
export async function runDeploy(
  name: TargetName,
  a: DaggerDeployArgs,
  extra: { forceReason?: string; record?: string } = {},
): Promise<string> {
  const target = targetOf(name, a);
  planDeploy({ target, commit: a.commit, now: new Date(), keep: a.keep });
  const image = (await readConfig(a.source, a.config)).frontend.image;
  const env = targetEnv({ ...target, name }, a.publicUrl);
  const artifact = buildRelease(
    pipelineEnv(a.repo, image),
    a.source,
    env[`${name.toUpperCase()}_PUBLIC_URL`],
    a.commit,
  );
  let c = withAppSecrets(withTarget(pipelineEnv(a.repo, image), name, target, a), name, a.secrets, a.alerts)
    .withDirectory(DEPLOY_PATHS.source, a.source)
    .withDirectory(DEPLOY_PATHS.artifact, artifact);
  // The host runner's gate re-checks the record the module already read, at its local fallback path.
  if (extra.record !== undefined) c = c.withNewFile(gateRecordPath(a.commit), extra.record);
  return runSideEffect(c, deployArgv(name, { commit: a.commit, keep: a.keep, forceReason: extra.forceReason }));
}

/** Production: refuse unless staging holds a passing E2E record for the commit, or a logged force reason overrides. */
export async function runPromotion(a: DaggerPromoteArgs): Promise<string> {
  checkGateInputs({ commit: a.commit, forceReason: a.forceReason, stagingHost: a.staging.host });
  targetOf("production", a);
  if (a.forceReason !== undefined) {
    console.error(
      `[deploy] E2E gate skipped for ${a.commit.slice(0, 7)}: --force-reason "${a.forceReason}" (logged in releases.jsonl)`,
    );
    return runDeploy("production", a, { forceReason: a.forceReason });
  }
  const staging = { ...a, ...definedOnly(a.staging) } as SshArgs;
  const record = await readPromotionRecord(a.source, a.config, staging, a.commit);
  const verdict = checkPromotion(parsePromotionRecord(record), a.commit);
  if (!verdict.ok) throw new DeployInputError("deploy-production", "refused", verdict.reason);
  return runDeploy("production", a, { record });
}

/** Run the host runner's `rollback` for a target (previous good release, or `to`); returns its log. */
export async function runRollback(
  name: TargetName,
  a: Omit<DaggerDeployArgs, "commit" | "keep" | "publicUrl">,
  to?: string,
): Promise<string> {
  const target = targetOf(name, a);
  const image = (await readConfig(a.source, a.config)).frontend.image;
  const c = withAppSecrets(
    withTarget(pipelineEnv(a.repo, image), name, target, a),
    name,
    a.secrets,
    a.alerts,
  ).withDirectory(DEPLOY_PATHS.source, a.source);
  return runSideEffect(c, rollbackArgv(name, to));
}

/** The node image plus ssh and rsync (apt, in the container). */
export function sshEnv(image: string): Container {
  return dag
    .container()
    .from(image)
    .withExec([
      "sh",
      "-c",
      `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${DEPLOY_PACKAGES.join(" ")} >/dev/null && rm -rf /var/lib/apt/lists/*`,
    ]);
}

/** sshEnv plus this repository's host runner: root manifests first (npm ci caches), then scripts/ and ci/src. */
export function pipelineEnv(repo: Directory, image: string): Container {
  const r = DEPLOY_PATHS.repo;
  return sshEnv(image)
    .withMountedCache("/root/.npm", dag.cacheVolume("npm"))
    .withWorkdir(r)
    .withFile(`${r}/package.json`, repo.file("package.json"))
    .withFile(`${r}/package-lock.json`, repo.file("package-lock.json"))
    .withExec(["npm", "ci", "--no-audit", "--no-fund"])
    .withFile(`${r}/tsconfig.json`, repo.file("tsconfig.json"))
    .withDirectory(`${r}/ci/src`, repo.directory("ci/src"))
    .withDirectory(`${r}/scripts`, repo.directory("scripts"))
    .withEnvVariable("USER", "dagger");
}

/**
 * Build once: the frontend standalone build and the backend with its uv.lock, assembled by the host runner's builder.
 */
export function buildRelease(env: Container, source: Directory, apiUrl: string, commit: string): Directory {
  return env
    .withDirectory(DEPLOY_PATHS.source, source)
    .withExec(buildArgv(apiUrl, commit))
    .directory(DEPLOY_PATHS.artifact);
}

/** Mount a target's key and known_hosts (0600) and set its plain settings. */
function withTarget(c: Container, name: TargetName, t: DeployTarget, a: SshArgs & { publicUrl?: string }): Container {
  c = withSsh(c, name, a);
  for (const [k, v] of Object.entries(targetEnv({ ...t, name }, a.publicUrl))) c = c.withEnvVariable(k, v);
  return c;
}

/** App secrets as secret variables, named as the host runner reads them (<TARGET>_SECRET_<NAME>). */
function withAppSecrets(
  c: Container,
  name: TargetName,
  secrets: Partial<Record<AppSecretArg, Secret>>,
  alerts: Partial<Record<Severity, Secret>> = {},
): Container {
  for (const [arg, secret] of Object.entries(secrets) as [AppSecretArg, Secret | undefined][])
    if (secret) c = c.withSecretVariable(appSecretVariable(name, arg), secret);
  for (const [severity, secret] of Object.entries(alerts) as [Severity, Secret | undefined][])
    if (secret) c = c.withSecretVariable(ALERT_ENV[severity], secret);
  return c;
}

function withSsh(c: Container, name: TargetName, a: Pick<SshArgs, "sshKey" | "knownHosts">): Container {
  return c
    .withMountedSecret(keyPath(name), a.sshKey, { owner: "root", mode: 0o600 })
    .withMountedSecret(knownHostsPath(name), a.knownHosts, { owner: "root", mode: 0o600 });
}

/**
 * The record's text from staging's metadata dir, "" when there is none. ssh reads the mounted key's normalised copy
 * (tmpfs, same exec); the deploy and rollback containers need none: the host runner normalises the key itself.
 */
async function readPromotionRecord(source: Directory, config: string, s: SshArgs, commit: string): Promise<string> {
  const target = targetOf("staging", s);
  const image = (await readConfig(source, config)).frontend.image;
  const read = recordReadArgv(target, commit);
  const argv = read.map((a, i) => (read[i - 1] === "-i" ? NORMALISED_KEY : a));
  const c = withSsh(sshEnv(image), "staging", s).withMountedTemp(SSH_KEY_TMPFS);
  return runSideEffect(c, withNormalisedKey(keyPath("staging"), argv), "ssh (reading the E2E record on staging)");
}

/**
 * Run a command that acts on a server: never served from the engine's cache, failures carry the command's own message.
 */
async function runSideEffect(c: Container, argv: string[], label = argv.slice(0, 5).join(" ")): Promise<string> {
  try {
    return await c.withEnvVariable("DEPLOY_REQUESTED_AT", new Date().toISOString()).withExec(argv).stdout();
  } catch (e) {
    if (isExecError(e)) throw new DaggerDeployError(label, e.exitCode, `${e.stderr}\n${e.stdout}`);
    throw e;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
