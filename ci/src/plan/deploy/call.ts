/**
 * The Dagger deploy functions as data, pure: which host-runner command the deploy container
 * runs, the STAGING_ and PRODUCTION_ settings it reads, and where the SSH files are mounted.
 * The deploy itself is the host runner's (scripts/pipeline.ts deploy-*, scripts/deploy/**):
 * the engine only gives it a container, the built release and the secrets.
 */
import { DeployInputError, validateTarget, type DeployTarget } from "./stage";
import { promotionRecordPath } from "./promotion";
import { pinnedSshArgv } from "./ssh";

export type TargetName = "staging" | "production";

/** Paths inside the build and deploy containers. */
export const DEPLOY_PATHS = { repo: "/repo", source: "/app", artifact: "/artifact", secrets: "/run/deploy" } as const;

/** Debian packages the deploy container adds to the node image: the host runner shells out to ssh and rsync. */
export const DEPLOY_PACKAGES = ["openssh-client", "rsync", "curl", "ca-certificates"];

/** Secret args → the NAME the server's shared/env/NAME file gets (the host runner's <TARGET>_SECRET_<NAME>). */
export const APP_SECRETS = { databaseUri: "DATABASE_URI", apiKey: "API_KEY" } as const;
export type AppSecretArg = keyof typeof APP_SECRETS;

/** Where a target's SSH private key is mounted (mode 0600). */
export const keyPath = (name: TargetName): string => `${DEPLOY_PATHS.secrets}/${name}/ssh_key`;
/** Where a target's pinned known_hosts is mounted (mode 0600). */
export const knownHostsPath = (name: TargetName): string => `${DEPLOY_PATHS.secrets}/${name}/known_hosts`;
/** The variable the host runner reads an app secret from. */
export const appSecretVariable = (name: TargetName, arg: AppSecretArg): string =>
  `${name.toUpperCase()}_SECRET_${APP_SECRETS[arg]}`;
/** Where the host runner's gate looks for a promotion record when no STAGING_SSH_HOST is set. */
export const gateRecordPath = (commit: string): string => `${DEPLOY_PATHS.repo}/.pipeline/e2e/${commit}.json`;

/** Validate a target from the function's args; throws DeployInputError before any container runs. */
export function targetOf(
  name: TargetName,
  a: { host: string; user: string; port: number; basePath: string },
): DeployTarget {
  return validateTarget({ name, host: a.host, user: a.user, port: a.port, basePath: a.basePath });
}

/** The plain (non-secret) settings the host runner reads for a target; the key and known_hosts are mounted files. */
export function targetEnv(t: DeployTarget & { name: TargetName }, publicUrl?: string): Record<string, string> {
  const P = t.name.toUpperCase();
  return {
    [`${P}_SSH_HOST`]: t.host,
    [`${P}_SSH_PORT`]: String(t.port),
    [`${P}_SSH_USER`]: t.user,
    [`${P}_DEPLOY_PATH`]: t.basePath,
    [`${P}_SSH_KEY_FILE`]: keyPath(t.name),
    [`${P}_KNOWN_HOSTS_FILE`]: knownHostsPath(t.name),
    [`${P}_PUBLIC_URL`]: publicUrl ?? `http://${t.host}`,
  };
}

/**
 * Build once: the host runner's artifact builder (scripts/buildArtifact.ts → buildArtifact), same layout as deploy-*
 * uses.
 */
export function buildArgv(apiUrl: string, commit: string): string[] {
  return [
    "npx",
    "--no-install",
    "tsx",
    "scripts/buildArtifact.ts",
    "--source",
    DEPLOY_PATHS.source,
    "--out",
    DEPLOY_PATHS.artifact,
    "--api-url",
    apiUrl,
    "--commit",
    commit,
  ];
}

/** The host runner's deploy command, given the release built once. */
export function deployArgv(name: TargetName, o: { commit: string; keep?: number; forceReason?: string }): string[] {
  const argv = [
    "npm",
    "run",
    "pipeline",
    "--",
    `deploy-${name}`,
    "--source",
    DEPLOY_PATHS.source,
    "--artifact",
    DEPLOY_PATHS.artifact,
    "--commit",
    o.commit,
  ];
  if (o.keep !== undefined) argv.push("--keep", String(o.keep));
  if (o.forceReason !== undefined) argv.push("--force-reason", o.forceReason);
  return argv;
}

/** The host runner's rollback command: the previous good release, or `to`. */
export function rollbackArgv(name: TargetName, to?: string): string[] {
  return [
    "npm",
    "run",
    "pipeline",
    "--",
    "rollback",
    "--target",
    name,
    "--source",
    DEPLOY_PATHS.source,
    ...(to ? ["--to", to] : []),
  ];
}

/**
 * Read a commit's promotion record from staging: ssh pinned to the mounted known_hosts (StrictHostKeyChecking=yes),
 * and an absent record prints nothing. An ssh failure (unreachable, wrong host key) still fails the exec.
 */
export function recordReadArgv(t: DeployTarget, commit: string): string[] {
  const file = `${t.basePath}/${promotionRecordPath(commit)}`;
  const ssh = pinnedSshArgv({ keyFile: keyPath("staging"), knownHostsFile: knownHostsPath("staging"), port: t.port });
  return [...ssh, "--", `${t.user}@${t.host}`, `cat ${file} 2>/dev/null || true`];
}

/** A forced promotion needs a reason, and a gated one needs the staging host to read the record from. */
export function checkGateInputs(o: { commit: string; forceReason?: string; stagingHost?: string }): void {
  if (!/^[0-9a-f]{40}$/.test(o.commit))
    throw new DeployInputError(
      "commit",
      `"${o.commit}" is not a full 40-hex sha`,
      "pass --commit $(git rev-parse HEAD)",
    );
  if (o.forceReason !== undefined && !o.forceReason.trim())
    throw new DeployInputError(
      "forceReason",
      "is empty",
      'say why E2E is skipped: --force-reason "hotfix for INC-123"',
    );
  if (o.forceReason === undefined && !o.stagingHost) {
    throw new DeployInputError(
      "stagingHost",
      "is not set, so the E2E record on staging cannot be read",
      'pass --staging-host (and --staging-user/--staging-base-path if they differ), or --force-reason "..."',
    );
  }
}

/** The target a rollback acts on; anything but staging or production is an input error. */
export function targetName(s: string): TargetName {
  if (s === "staging" || s === "production") return s;
  throw new DeployInputError(
    "target",
    `"${s}" is not staging or production`,
    "pass --target staging or --target production",
  );
}
