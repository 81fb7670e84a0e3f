/**
 * The Dagger runner of the deploy: build the release once, then hand the host runner's deploy (scripts/
 * deployRequest.ts, from the `repo` Directory) one typed request, in a container that holds ssh and rsync. The
 * request is checked here and again in the container by the same validator; every secret (SSH key, known_hosts, app
 * secrets, alert webhooks) is a 0600 file the request names by path: no plaintext enters a query, an argv or an env.
 */
import { StageFailure } from "../plan/errors";
import { dag, type Container, type Directory, type Secret } from "@dagger.io/dagger";
import { isExecError } from "./execError";
import { readConfig } from "./config";
import {
  alertPath,
  appSecretPath,
  buildArgv,
  checkGateInputs,
  DEPLOY_IMAGE,
  DEPLOY_PACKAGES,
  DEPLOY_PATHS,
  deployRequestOf,
  keyPath,
  knownHostsPath,
  recordReadArgv,
  requestArgv,
  targetOf,
  type AppSecretArg,
  type RequestInputs,
  type TargetName,
} from "../plan/deploy/call";
import { DeployInputError, planDeploy, type DeployTarget } from "../plan/deploy/stage";
import type { Severity } from "../plan/deploy/alerts";
import { checkPromotion, parsePromotionRecord } from "../plan/deploy/promotion";
import { artifactFetchArgv, FETCHED_RELEASE, promotedArtifactOf, UPLOAD_EXCLUDES } from "../plan/deploy/artifact";
import { DEPLOY_REQUEST_PATH, formatDeployRequest } from "../plan/deploy/request";
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

/** Validate, build once, then run the host runner's deploy on one typed request; returns its log. */
export async function runDeploy(
  name: TargetName,
  a: DaggerDeployArgs,
  extra: { forceReason?: string; record?: string; artifact?: Directory } = {},
): Promise<string> {
  const target = targetOf(name, a);
  planDeploy({ target, commit: a.commit, now: new Date(), keep: a.keep });
  const cfg = await readConfig(a.source, a.config);
  const request = requestOf(name, target, a, {
    action: "deploy",
    publicUrl: a.publicUrl,
    commit: a.commit,
    keep: a.keep,
    forceReason: extra.forceReason,
    promotionRecord: extra.record,
  });
  const paths = { frontend: cfg.frontend.path, backend: cfg.backend.path };
  const artifact =
    extra.artifact ??
    buildRelease(pipelineEnv(a.repo, cfg.frontend.image), a.source, request.publicUrl!, a.commit, paths);
  const c = withRequestFiles(pipelineEnv(a.repo, DEPLOY_IMAGE), name, a)
    .withDirectory(DEPLOY_PATHS.source, a.source)
    .withDirectory(DEPLOY_PATHS.artifact, artifact);
  return runRequest(c, request);
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
  // The config is checked before staging is read, though only the build (the app's image) and the deploy use it.
  await readConfig(a.source, a.config);
  const record = await readPromotionRecord(staging, a.commit);
  const parsed = parsePromotionRecord(record);
  const verdict = checkPromotion(parsed, a.commit);
  if (!verdict.ok) throw new DeployInputError("deploy-production", "refused", verdict.reason);
  // Staging's tested bytes, not a rebuild: the host runner in the deploy container checks them against the record.
  const artifact = await fetchStagingRelease(staging, promotedArtifactOf(parsed!).release);
  return runDeploy("production", a, { record, artifact });
}

/**
 * Staging's releases/<id>/ as the upload shipped it (server installs left out), rsynced over the pinned ssh with the
 * mounted key normalised into a tmpfs; a new DEPLOY_REQUESTED_AT per call, so never from the engine's cache.
 */
async function fetchStagingRelease(s: SshArgs, release: string): Promise<Directory> {
  const target = targetOf("staging", s);
  const ssh = { keyFile: NORMALISED_KEY, knownHostsFile: knownHostsPath("staging") };
  const argv = artifactFetchArgv(target, release, ssh, FETCHED_RELEASE, UPLOAD_EXCLUDES);
  return withSsh(sshEnv(DEPLOY_IMAGE), "staging", s)
    .withMountedTemp(SSH_KEY_TMPFS)
    .withEnvVariable("DEPLOY_REQUESTED_AT", new Date().toISOString())
    .withExec(withNormalisedKey(keyPath("staging"), argv))
    .directory(FETCHED_RELEASE);
}

/** Run the host runner's rollback on one typed request (the newest release that passed health, or `to`). */
export async function runRollback(
  name: TargetName,
  a: Omit<DaggerDeployArgs, "commit" | "keep" | "publicUrl">,
  to?: string,
): Promise<string> {
  const target = targetOf(name, a);
  // A rollback builds nothing; the config is still checked, as every function checks it before acting.
  await readConfig(a.source, a.config);
  const request = requestOf(name, target, a, { action: "rollback", to });
  const c = withRequestFiles(pipelineEnv(a.repo, DEPLOY_IMAGE), name, a).withDirectory(DEPLOY_PATHS.source, a.source);
  return runRequest(c, request);
}

/** The typed request for the given secrets, checked now (formatDeployRequest validates) so a bad one runs nothing. */
function requestOf(
  name: TargetName,
  target: DeployTarget,
  a: Pick<DaggerDeployArgs, "config" | "secrets" | "alerts">,
  i: Omit<RequestInputs, "config" | "appSecrets" | "alerts" | "requestedAt">,
): ReturnType<typeof deployRequestOf> {
  const given = <K extends string>(o: Partial<Record<K, Secret>> = {}) =>
    (Object.keys(o) as K[]).filter((k) => o[k] !== undefined);
  const req = deployRequestOf(
    { ...target, name },
    {
      ...i,
      config: a.config,
      appSecrets: given(a.secrets),
      alerts: given(a.alerts),
      requestedAt: new Date().toISOString(),
    },
  );
  formatDeployRequest(req);
  return req;
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
export function buildRelease(
  env: Container,
  source: Directory,
  apiUrl: string,
  commit: string,
  paths?: { frontend: string; backend: string },
): Directory {
  return env
    .withDirectory(DEPLOY_PATHS.source, source)
    .withExec(buildArgv(apiUrl, commit, paths))
    .directory(DEPLOY_PATHS.artifact);
}

/** Mount every secret the request names, each a 0600 file: the SSH key, known_hosts, app secrets, alert webhooks. */
function withRequestFiles(
  c: Container,
  name: TargetName,
  a: SshArgs & { secrets: Partial<Record<AppSecretArg, Secret>>; alerts?: Partial<Record<Severity, Secret>> },
): Container {
  c = withSsh(c, name, a);
  for (const [arg, secret] of Object.entries(a.secrets) as [AppSecretArg, Secret | undefined][])
    if (secret) c = c.withMountedSecret(appSecretPath(name, arg), secret, { owner: "root", mode: 0o600 });
  for (const [severity, secret] of Object.entries(a.alerts ?? {}) as [Severity, Secret | undefined][])
    if (secret) c = c.withMountedSecret(alertPath(severity), secret, { owner: "root", mode: 0o600 });
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
async function readPromotionRecord(s: SshArgs, commit: string): Promise<string> {
  const target = targetOf("staging", s);
  const read = recordReadArgv(target, commit);
  const argv = read.map((a, i) => (read[i - 1] === "-i" ? NORMALISED_KEY : a));
  const c = withSsh(sshEnv(DEPLOY_IMAGE), "staging", s).withMountedTemp(SSH_KEY_TMPFS);
  return runSideEffect(c, withNormalisedKey(keyPath("staging"), argv), "ssh (reading the E2E record on staging)");
}

/** Write the request where the host runner reads it and run it: a new requestedAt per call, so never from cache. */
async function runRequest(c: Container, request: ReturnType<typeof deployRequestOf>): Promise<string> {
  const label = `${request.action} request (scripts/deployRequest.ts)`;
  return runSideEffect(c.withNewFile(DEPLOY_REQUEST_PATH, formatDeployRequest(request)), requestArgv(), label);
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
