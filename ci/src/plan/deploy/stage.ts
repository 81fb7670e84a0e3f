/**
 * Deploy planning, pure: the task list, the release id, the target's validation,
 * which releases cleanup removes and which release a rollback returns to.
 * The tasks themselves (I/O over SSH) live in scripts/deploy/, one per file.
 */
import { BOUNDS, outOfBound, rangeOf } from "../bounds";
import { InputError } from "../errors";
import { printable } from "../triggers/commits";
import { makeReleaseId } from "./releaseId";
import { passedHealth, type ReleaseLogEntry } from "./releaseLog";
import { defaultWatchPolicy, type WatchPolicy } from "./watch";

/** The deploy tasks in run order (Deployer v7 style); scripts/deploy/recipe.ts lists the same names. */
export const DEPLOY_TASKS = [
  "lock",
  "release",
  "upload",
  "install",
  "shared",
  "migrate",
  "switch",
  "reload",
  "health",
  "watch",
  "cleanup",
  "unlock",
] as const;
export type DeployTaskName = (typeof DEPLOY_TASKS)[number];

export interface HealthPolicy {
  /** Probes before giving up on a release. */
  attempts: number;
  /** The longest wait between probes; waits back off from 0.5 s up to this. */
  intervalSeconds: number;
  /** Consecutive failed probes after the switch that trigger the automatic rollback. */
  failuresBeforeRollback: number;
}

export const defaultHealthPolicy = (): HealthPolicy => ({
  attempts: 10,
  intervalSeconds: 5,
  failuresBeforeRollback: 3,
});
export const DEFAULT_KEEP = 5;

/** Where to deploy: an SSH endpoint and the DEPLOY_BASE on it. */
export interface DeployTarget {
  name: string;
  host: string;
  port: number;
  user: string;
  basePath: string;
}

/** A deploy input that is wrong; thrown before anything touches the server. */
export class DeployInputError extends InputError {
  constructor(
    readonly key: string,
    problem: string,
    fix: string,
  ) {
    super(`${key} ${problem}. Fix: ${fix}`);
  }
}

/** Check host, port, user and base path; return the target unchanged or throw DeployInputError. */
export function validateTarget(t: DeployTarget): DeployTarget {
  if (!/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/.test(t.host)) {
    throw new DeployInputError(
      "host",
      `"${printable(t.host)}" is not a hostname or IP address`,
      "pass a host such as staging.example.com or 127.0.0.1",
    );
  }
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) {
    throw new DeployInputError("port", `${t.port} is not a TCP port`, "pass a port between 1 and 65535, e.g. 22");
  }
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(t.user)) {
    throw new DeployInputError("user", `"${printable(t.user)}" is not a user name`, "pass a login such as deploy");
  }
  if (!/^\/[A-Za-z0-9._/-]*$/.test(t.basePath) || t.basePath.split("/").includes("..") || t.basePath === "/") {
    throw new DeployInputError(
      "base path",
      `"${printable(t.basePath)}" is not an absolute path of plain characters`,
      "pass the DEPLOY_BASE, e.g. /srv/autoauthor",
    );
  }
  return t;
}

/** Check a retention count. */
export function validateKeep(keep: number): number {
  const why = outOfBound(BOUNDS["deploy.keep"], keep);
  if (why)
    throw new DeployInputError(
      "keep",
      `is ${keep}; it ${why} (at least the current release must stay)`,
      `pass --keep ${DEFAULT_KEEP} (${rangeOf(BOUNDS["deploy.keep"])})`,
    );
  return keep;
}

export interface DeployPlan {
  target: DeployTarget;
  releaseId: string;
  commit: string;
  keep: number;
  health: HealthPolicy;
  tasks: readonly DeployTaskName[];
  /** Set for a production deploy that skipped the E2E gate; logged into releases.jsonl. */
  forceReason?: string;
  /** What happens after the switch (docs/requirements.md#R-watch). */
  afterSwitch: AfterSwitchPlan;
}

/** The watch window, the traffic strategy and the migration command. */
export interface AfterSwitchPlan {
  watch: WatchPolicy;
  strategy: "bluegreen" | "canary";
  canarySteps: number[];
  /** Shell command run once in releases/<id> before traffic moves; "" for none. */
  migrate: string;
  /** Its time bound (deploy.migrateTimeoutSeconds): it holds the lock, and a signal waits for it. */
  migrateTimeoutSeconds: number;
}

export const defaultAfterSwitch = (): AfterSwitchPlan => ({
  watch: defaultWatchPolicy(),
  strategy: "bluegreen",
  canarySteps: [5, 25, 50, 100],
  migrate: "",
  migrateTimeoutSeconds: 600,
});

/** Plan one deploy: validated inputs, the release id and the task list. */
export function planDeploy(input: {
  target: DeployTarget;
  commit: string;
  now: Date;
  keep?: number;
  health?: Partial<HealthPolicy>;
  forceReason?: string;
  afterSwitch?: Partial<AfterSwitchPlan>;
}): DeployPlan {
  if (!/^[0-9a-f]{7,40}$/.test(input.commit))
    throw new DeployInputError(
      "commit",
      `"${input.commit}" is not a commit sha`,
      "pass the sha being deployed (git rev-parse HEAD)",
    );
  return {
    target: validateTarget(input.target),
    releaseId: makeReleaseId(input.now, input.commit),
    commit: input.commit,
    keep: validateKeep(input.keep ?? DEFAULT_KEEP),
    health: { ...defaultHealthPolicy(), ...input.health },
    tasks: DEPLOY_TASKS,
    forceReason: input.forceReason,
    afterSwitch: { ...defaultAfterSwitch(), ...input.afterSwitch },
  };
}

/** Waits between health probes, in seconds: 0.5, 1, 2, 4 … capped at the interval; one fewer than attempts. */
export function healthDelays(p: HealthPolicy): number[] {
  return Array.from({ length: Math.max(0, p.attempts - 1) }, (_, i) => Math.min(p.intervalSeconds, 0.5 * 2 ** i));
}

/**
 * Deploy order: logged releases by their first line in the release log (the order their deploys took the lock), which
 * no clock decides. A release id's timestamp is the deploying machine's clock: a runner whose clock is behind names
 * its release older than the one it replaces (and one ahead, newer than every later one). A release with no log line
 * is ordered among the others by its id.
 */
export function byDeployOrder(log: ReleaseLogEntry[]): (a: string, b: string) => number {
  const first = new Map<string, number>();
  log.forEach((e, i) => {
    if (!first.has(e.id)) first.set(e.id, i);
  });
  return (a, b) => {
    const x = first.get(a);
    const y = first.get(b);
    if (x !== undefined && y !== undefined) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/**
 * The release a rollback returns to: `prefer` (the release that served before a failed deploy, warm in its slot) when
 * it passed health, still exists and was never marked BAD; else the newest release deployed before `current` (deploy
 * order, `byDeployOrder`) that passed health, still exists and was never marked BAD. Never `current` itself, which may
 * be a release no health check passed. Undefined when none.
 */
export function chooseRollbackTarget(
  log: ReleaseLogEntry[],
  existing: string[],
  current: string | undefined,
  prefer?: string,
): string | undefined {
  const good = passedHealth(log);
  const candidates = existing.filter((id) => id !== current && good.has(id));
  if (prefer && candidates.includes(prefer)) return prefer;
  const order = byDeployOrder(log);
  const older = current ? candidates.filter((id) => order(id, current) < 0) : candidates;
  return (older.length ? older : candidates).sort(order).at(-1);
}

/**
 * Release dirs cleanup removes: the protected ones (current, the rollback target, what a slot runs) stay, then the
 * newest releases that passed health fill up to `keep` (newest in deploy order when the log is given, else by id);
 * everything else goes. Only good releases fill the count, so a good release is never pruned while a BAD or failed one
 * stays.
 */
export function chooseCleanup(
  existing: string[],
  keep: number,
  protect: (string | undefined)[],
  good: Set<string>,
  log: ReleaseLogEntry[] = [],
): string[] {
  validateKeep(keep);
  const kept = new Set(protect.filter((x): x is string => !!x && existing.includes(x)));
  for (const id of existing
    .filter((x) => good.has(x))
    .sort(byDeployOrder(log))
    .reverse()) {
    if (kept.size >= keep) break;
    kept.add(id);
  }
  return existing.filter((id) => !kept.has(id)).sort();
}
