/**
 * The Dagger deploy functions as data, pure: the typed request (request.ts) the deploy container runs, where each
 * secret is mounted, and the build and record-reading commands. The deploy itself is the host runner's
 * (scripts/deployRequest.ts, scripts/deploy/**): the engine only gives it a container, the built release, the
 * secrets as 0600 files and one request naming them.
 */
import { DeployInputError, validateTarget, type DeployTarget } from "./stage";
import { promotionRecordScript } from "./promotion";
import { DEPLOY_REQUEST_PATH, DEPLOY_REQUEST_VERSION, type DeployRequest } from "./request";
import { pinnedSshArgv } from "./ssh";
import type { Severity } from "./alerts";
import { IMAGES } from "../images";

export type TargetName = "staging" | "production";

/** Paths inside the build and deploy containers. */
export const DEPLOY_PATHS = { repo: "/repo", source: "/app", artifact: "/artifact", secrets: "/run/deploy" } as const;

/**
 * The image of every container that holds the runner's secrets (the deploy, the rollback, reading the E2E record and
 * fetching staging's release): the pipeline's own node image, never `frontend.image`, which the repository's
 * pipeline.yaml sets and could point at an image whose tools read the mounted keys. The build holds no secret and
 * runs on the app's image.
 */
export const DEPLOY_IMAGE = IMAGES.node.ref;

/** Debian packages the deploy container adds to the node image: the host runner shells out to ssh and rsync. */
export const DEPLOY_PACKAGES = ["openssh-client", "rsync", "curl", "ca-certificates"];

/** Secret args → the NAME the server's shared/env/NAME file gets (the host runner's <TARGET>_SECRET_<NAME>). */
export const APP_SECRETS = { databaseUri: "DATABASE_URI", apiKey: "API_KEY" } as const;
export type AppSecretArg = keyof typeof APP_SECRETS;

/** Where a target's SSH private key is mounted (mode 0600). */
export const keyPath = (name: TargetName): string => `${DEPLOY_PATHS.secrets}/${name}/ssh_key`;
/** Where a target's pinned known_hosts is mounted (mode 0600). */
export const knownHostsPath = (name: TargetName): string => `${DEPLOY_PATHS.secrets}/${name}/known_hosts`;
/** Where an app secret is mounted (mode 0600); the server gets it as shared/env/<NAME>. */
export const appSecretPath = (name: TargetName, arg: AppSecretArg): string =>
  `${DEPLOY_PATHS.secrets}/${name}/env/${APP_SECRETS[arg]}`;
/** Where an alert webhook list is mounted (mode 0600). */
export const alertPath = (severity: Severity): string => `${DEPLOY_PATHS.secrets}/alerts/${severity}`;

/** Validate a target from the function's args; throws DeployInputError before any container runs. */
export function targetOf(
  name: TargetName,
  a: { host: string; user: string; port: number; basePath: string },
): DeployTarget {
  return validateTarget({ name, host: a.host, user: a.user, port: a.port, basePath: a.basePath });
}

/** What the caller gives beside the target: which secrets it passed, and the action's own fields. */
export type RequestInputs = Pick<
  DeployRequest,
  "action" | "config" | "publicUrl" | "commit" | "keep" | "forceReason" | "promotionRecord" | "to" | "requestedAt"
> & { appSecrets: AppSecretArg[]; alerts: Severity[] };

/** The request the deploy container runs: the target, the mounted files by path, the action's fields. */
export function deployRequestOf(t: DeployTarget & { name: TargetName }, i: RequestInputs): DeployRequest {
  const deploy = i.action === "deploy";
  const req: DeployRequest = {
    version: DEPLOY_REQUEST_VERSION,
    action: i.action,
    target: { name: t.name, host: t.host, port: t.port, user: t.user, basePath: t.basePath },
    files: {
      sshKey: keyPath(t.name),
      knownHosts: knownHostsPath(t.name),
      secrets: Object.fromEntries(i.appSecrets.map((a) => [APP_SECRETS[a], appSecretPath(t.name, a)])),
      alerts: Object.fromEntries(i.alerts.map((s) => [s, alertPath(s)])),
    },
    source: DEPLOY_PATHS.source,
    config: i.config,
    requestedAt: i.requestedAt,
    ...(deploy
      ? { artifact: DEPLOY_PATHS.artifact, commit: i.commit, publicUrl: i.publicUrl ?? `http://${t.host}` }
      : {}),
    ...(deploy && i.keep !== undefined ? { keep: i.keep } : {}),
    ...(deploy && i.forceReason !== undefined ? { forceReason: i.forceReason } : {}),
    ...(deploy && i.promotionRecord !== undefined ? { promotionRecord: i.promotionRecord } : {}),
    ...(!deploy && i.to ? { to: i.to } : {}),
  };
  return req;
}

/** The deploy container's command: the host runner's request entry point on the request file. */
export const requestArgv = (): string[] => [
  "npx",
  "--no-install",
  "tsx",
  "scripts/deployRequest.ts",
  DEPLOY_REQUEST_PATH,
];

/**
 * Build once: the host runner's artifact builder (scripts/buildArtifact.ts → buildArtifact), same layout as deploy-*
 * uses.
 */
export function buildArgv(
  apiUrl: string,
  commit: string,
  paths: { frontend: string; backend: string } = { frontend: "frontend", backend: "backend" },
): string[] {
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
    "--frontend-path",
    paths.frontend,
    "--backend-path",
    paths.backend,
  ];
}

/**
 * Read a commit's promotion record from staging: ssh pinned to the mounted known_hosts (StrictHostKeyChecking=yes),
 * and an absent record prints nothing. An ssh failure (unreachable, wrong host key) still fails the exec.
 */
export function recordReadArgv(t: DeployTarget, commit: string): string[] {
  const ssh = pinnedSshArgv({ keyFile: keyPath("staging"), knownHostsFile: knownHostsPath("staging"), port: t.port });
  return [...ssh, "--", `${t.user}@${t.host}`, promotionRecordScript(t.basePath, commit)];
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
