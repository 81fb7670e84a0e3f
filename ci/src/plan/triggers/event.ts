/**
 * Read a GitHub event payload ($GITHUB_EVENT_PATH) into the event, branch and diff request.
 * Pure: the caller reads the file.
 */
import { InputError } from "../errors";
import { printable } from "./commits";
import { EVENTS, parseEvent, type EventName } from "./rules";
import type { DiffRequest } from "./diffRequest";

/** A payload that is not what its event needs: names the file, the field and the fix. */
export class EventPayloadError extends InputError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      `${file}: ${problem}. Fix: pass the event file GitHub wrote ($GITHUB_EVENT_PATH) for one of ${EVENTS.join(", ")}, or give --base and --head instead`,
    );
  }
}

/** What a trigger says: the event, the branch it concerns, and what to diff. */
export interface EventContext {
  event: EventName;
  branch?: string;
  request: DiffRequest;
  /** A pull request's number, when the payload gives it (its caches are its own: cacheScope.ts). */
  pullRequest?: number;
}

type Json = Record<string, unknown>;

/** Parse an event payload; `event` (GITHUB_EVENT_NAME) wins over guessing from the payload's shape. */
export function parseEventPayload(text: string, event?: string, file = "event file"): EventContext {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new EventPayloadError(file, `is not JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) throw new EventPayloadError(file, "is not a JSON object");
  const name = event ? parseEvent(event) : guessEvent(raw, file);
  const at = (path: string) => field(raw as Json, path, file);
  const defaultBranch = opt(raw, "repository.default_branch", file);
  switch (name) {
    case "pull_request": {
      const n = (isObj(raw.pull_request) ? raw.pull_request.number : undefined) ?? raw.number;
      return {
        event: name,
        branch: at("pull_request.head.ref"),
        ...(Number.isSafeInteger(n) && (n as number) > 0 ? { pullRequest: n as number } : {}),
        request: {
          kind: "pull_request",
          base: at("pull_request.base.sha"),
          baseRef: opt(raw, "pull_request.base.ref", file),
          head: at("pull_request.head.sha"),
        },
      };
    }
    case "push":
      return {
        event: name,
        branch: branchOf(at("ref")),
        request: { kind: "push", before: at("before"), head: at("after"), defaultBranch },
      };
    case "workflow_run": {
      const prs = (raw.workflow_run as Json | undefined)?.pull_requests;
      const prBase = Array.isArray(prs) && isObj(prs[0]) ? opt(prs[0], "base.sha", file) : undefined;
      const headBranch = opt(raw, "workflow_run.head_branch", file);
      return {
        event: name,
        branch: headBranch,
        request: {
          kind: "workflow_run",
          head: at("workflow_run.head_sha"),
          headBranch,
          pullRequestBase: prBase,
          defaultBranch,
        },
      };
    }
    default:
      return {
        event: name,
        branch: branchOf(opt(raw, "ref", file) ?? ""),
        request: { kind: "none", reason: `${name} has no base commit` },
      };
  }
}

function guessEvent(raw: Json, file: string): EventName {
  if ("pull_request" in raw) return "pull_request";
  if ("workflow_run" in raw) return "workflow_run";
  if ("schedule" in raw) return "schedule";
  if ("before" in raw && "after" in raw) return "push";
  if ("inputs" in raw) return "workflow_dispatch";
  throw new EventPayloadError(
    file,
    "has none of pull_request, workflow_run, schedule, before/after or inputs, so its event is unknown (pass --event)",
  );
}

function field(raw: Json, path: string, file: string): string {
  const v = opt(raw, path, file);
  if (v === undefined || v === "") throw new EventPayloadError(file, `lacks \`${path}\``);
  return v;
}

/** Longer than any branch (GitHub's refs are at most 255 bytes) or sha: a payload's field of more is not one. */
const FIELD_MAX = 1024;

/**
 * The string at `path`, if any. A branch or a sha is one line of plain text, as the flags it stands for: one holding
 * control characters would reach the terminal and the CI log (where a line starting `::` is a workflow command), and
 * one longer than FIELD_MAX would be echoed whole (a 5 MB branch name was, three times).
 */
function opt(raw: unknown, path: string, file: string): string | undefined {
  let cur: unknown = raw;
  for (const k of path.split(".")) cur = isObj(cur) ? cur[k] : undefined;
  if (typeof cur !== "string") return undefined;
  if (cur.length > FIELD_MAX)
    throw new EventPayloadError(
      file,
      `\`${path}\` is ${cur.length} characters long; a branch or a sha is at most ${FIELD_MAX}`,
    );
  if (printable(cur) !== cur)
    throw new EventPayloadError(file, `\`${path}\` holds control characters ("${printable(cur)}")`);
  return cur;
}

function branchOf(ref: string): string | undefined {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
