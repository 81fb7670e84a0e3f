/**
 * The one typed request that crosses from the Dagger module into its deploy container: what to do, where, and which
 * mounted files hold the secrets. JSON, checked by parseDeployRequest on both sides (the module before any container
 * runs, the host runner's scripts/deployRequest.ts before anything else). Secrets never travel in it: only the paths
 * of their 0600 mounts do. Pure.
 */
import { hasCredentials } from "../credentials";
import { InputError } from "../errors";
import { isReleaseId } from "./releaseId";
import { validateKeep, validateTarget } from "./stage";
import type { Severity } from "./alerts";

export const DEPLOY_REQUEST_VERSION = 1;

/** Where the module writes the request in the deploy container. */
export const DEPLOY_REQUEST_PATH = "/run/deploy/request.json";

export interface DeployRequest {
  version: typeof DEPLOY_REQUEST_VERSION;
  action: "deploy" | "rollback";
  target: { name: "staging" | "production"; host: string; port: number; user: string; basePath: string };
  /** The URL baked into the frontend as NEXT_PUBLIC_API_URL (deploy). */
  publicUrl?: string;
  /** Mounted secret files: the SSH key, the pinned known_hosts, app secrets (NAME → path), alert webhooks. */
  files: {
    sshKey: string;
    knownHosts: string;
    secrets: Record<string, string>;
    alerts: Partial<Record<Severity, string>>;
  };
  /** The app source (its pipeline.yaml is read from there) and the config file's path in it. */
  source: string;
  config: string;
  /** Deploy: the release built once, the commit it was built from, retention, a production override. */
  artifact?: string;
  commit?: string;
  keep?: number;
  forceReason?: string;
  /** Production: the E2E record the module read from staging; the host runner checks it again. */
  promotionRecord?: string;
  /** Rollback: the release to return to (default: the newest that passed health). */
  to?: string;
  /** When the module made the request: a new value per call, so the engine never serves the exec from its cache. */
  requestedAt: string;
}

/** A request that is not well formed; names every problem. Exit 2. */
export class DeployRequestError extends InputError {
  constructor(readonly problems: string[]) {
    super(`deploy request refused: ${problems.join("; ")}. Fix: build it with the module's deploy functions`);
  }
}

const SEVERITIES = ["critical", "warning", "info"];
/**
 * Whether `name` can be an app secret's name: it becomes the server's shared/env/<name> and a variable of the app's
 * environment, so A-Z, 0-9 and _, starting with a letter.
 */
export function isAppSecretName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name);
}

/** Linux's limit on one environment string, `NAME=value` and its NUL included (MAX_ARG_STRLEN: 32 pages). */
export const ENV_STRING_MAX = 131_072;
/** What the app secrets may take together: half the usual 2 MiB ARG_MAX, leaving the rest of the environment room. */
export const APP_SECRETS_MAX = 1_048_576;

const bytes = (s: string): number => new TextEncoder().encode(s).length;

/**
 * Why app secrets could not reach the app's and the migration's environment, where each becomes a variable: one
 * longer than Linux takes, one holding a NUL, or all of them together over APP_SECRETS_MAX; undefined when they fit.
 * `label` names a secret in the message (its variable on the runner). Pure.
 */
export function appSecretsProblem(
  secrets: Record<string, string>,
  label: (name: string) => string,
): { problem: string; fix: string } | undefined {
  const large =
    "put a large value (a certificate bundle, a key file) on the server as a file the app reads, and give the app its path";
  for (const [name, value] of Object.entries(secrets)) {
    if (value.includes("\u0000"))
      return {
        problem: `${label(name)} holds a NUL byte, which no environment variable can carry`,
        fix: "remove it (give a binary value base64-encoded)",
      };
    const max = ENV_STRING_MAX - bytes(`${name}=`) - 1;
    if (bytes(value) > max)
      return {
        problem: `${label(name)} is ${bytes(value)} bytes; an environment variable holds at most ${max} (Linux's 128 KiB, less its name)`,
        fix: large,
      };
  }
  const total = Object.entries(secrets).reduce((n, [k, v]) => n + bytes(`${k}=${v}`) + 1, 0);
  if (total > APP_SECRETS_MAX)
    return {
      problem: `${label("*")} are ${total} bytes together; the app's environment takes at most ${APP_SECRETS_MAX}`,
      fix: large,
    };
  return undefined;
}

const isText = (x: unknown): x is string => typeof x === "string" && x.length > 0;
const isAbsPath = (x: unknown): x is string => isText(x) && x.startsWith("/") && !x.split("/").includes("..");
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/** Problems of the `files` part: absolute paths only, secret names as env names, known severities. */
function fileProblems(files: unknown): string[] {
  if (!isObject(files)) return ["files is not an object"];
  const out: string[] = [];
  for (const k of ["sshKey", "knownHosts"])
    if (!isAbsPath(own(files, k))) out.push(`files.${k} is not an absolute path`);
  for (const [k, map] of [
    ["secrets", own(files, "secrets")],
    ["alerts", own(files, "alerts")],
  ] as const) {
    if (!isObject(map)) out.push(`files.${k} is not an object`);
    else
      for (const [name, path] of Object.entries(map)) {
        const okName = k === "secrets" ? isAppSecretName(name) : SEVERITIES.includes(name);
        if (!okName || !isAbsPath(path)) out.push(`files.${k}.${name} is not a known name with an absolute path`);
      }
  }
  return out;
}

/** Problems of the action-specific fields. */
function actionProblems(r: Record<string, unknown>): string[] {
  const out: string[] = [];
  const opt = (k: string, ok: (x: unknown) => boolean, what: string) => {
    if (own(r, k) !== undefined && !ok(own(r, k))) out.push(`${k} ${what}`);
  };
  if (r.action === "deploy") {
    if (!isAbsPath(own(r, "artifact"))) out.push("artifact is not an absolute path");
    if (!/^[0-9a-f]{7,40}$/.test(String(own(r, "commit")))) out.push("commit is not a commit sha");
    if (own(r, "to") !== undefined) out.push("to is only for a rollback");
  } else if (r.action === "rollback") {
    for (const k of ["artifact", "commit", "keep", "forceReason", "promotionRecord"])
      if (own(r, k) !== undefined) out.push(`${k} is only for a deploy`);
  } else out.push(`action is ${JSON.stringify(r.action)}, not "deploy" or "rollback"`);
  opt("keep", (x) => Number.isInteger(x) && (x as number) >= 1, "is not an integer >= 1");
  opt("forceReason", (x) => isText(x) && x.trim().length > 0, "is empty");
  opt("promotionRecord", (x) => typeof x === "string", "is not text");
  const url = own(r, "publicUrl");
  if (url !== undefined) {
    const problem = isText(url) ? publicUrlProblem(url) : "is not an http(s) URL";
    if (problem) out.push(`publicUrl ${problem}`);
  }
  opt("to", (x) => isText(x) && isReleaseId(x), "is not a release id");
  return out;
}

/** Problems of the target; validateTarget's own message when it refuses. */
function targetProblems(t: unknown): string[] {
  if (!isObject(t)) return ["target is not an object"];
  if (t.name !== "staging" && t.name !== "production") return ["target.name is not staging or production"];
  try {
    validateTarget(t as unknown as DeployRequest["target"]);
    return [];
  } catch (e) {
    return [`target: ${(e as Error).message}`];
  }
}

/** Check a parsed request (or the object the module is about to send); return it typed or throw DeployRequestError. */
/**
 * What is wrong with a target's public URL, or undefined: the frontend build bakes it into the bundle every visitor
 * downloads, so a `user:token@` in it would be public (the problem never quotes the URL).
 */
export function publicUrlProblem(url: string): string | undefined {
  if (hasCredentials(url))
    return "carries credentials (user:token@ in the URL), which the build would bake into the public bundle";
  // URL parsers drop tabs and newlines and take the rest; the build would bake the raw text, so any blank or control
  // character makes it no URL here.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  const u = URL.canParse(url) && !/[\s\u0000-\u001f\u007f-\u009f]/.test(url) ? new URL(url) : undefined;
  return u && (u.protocol === "http:" || u.protocol === "https:") ? undefined : "is not an http(s) URL";
}

export function parseDeployRequest(x: unknown): DeployRequest {
  if (!isObject(x)) throw new DeployRequestError(["it is not a JSON object"]);
  const problems = [
    ...(x.version === DEPLOY_REQUEST_VERSION ? [] : [`version is ${JSON.stringify(x.version)}, not 1`]),
    ...targetProblems(own(x, "target")),
    ...fileProblems(own(x, "files")),
    ...(isAbsPath(own(x, "source")) ? [] : ["source is not an absolute path"]),
    ...(isText(own(x, "config")) ? [] : ["config is not a file name"]),
    ...(isText(own(x, "requestedAt")) ? [] : ["requestedAt is not set"]),
    ...actionProblems(x),
  ];
  if (problems.length) throw new DeployRequestError(problems);
  if (x.keep !== undefined) validateKeep(x.keep as number);
  return x as unknown as DeployRequest;
}

/** Parse the request's JSON text and check it. */
export function parseDeployRequestJson(text: string): DeployRequest {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    throw new DeployRequestError([`it is not JSON (${(e as Error).message})`]);
  }
  return parseDeployRequest(x);
}

/** The request as the module writes it: checked first, so a module bug fails before any container runs. */
export function formatDeployRequest(r: DeployRequest): string {
  return `${JSON.stringify(parseDeployRequest(r), null, 2)}\n`;
}
