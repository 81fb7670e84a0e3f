/**
 * shared/server.json, as the server's admin (or `staging-server start`) writes it: the tools and
 * ports a deploy uses there. Pure: parsed and checked before the deploy takes its lock.
 */
import { InputError } from "../errors";
import type { SlotPorts } from "./slots";
import { RELEASE_ID_ERE } from "./releaseId";

/** What shared/server.json holds: tools and ports. */
export interface ServerInfo {
  /** PATH for the deploy shell (node, uv, pm2). */
  path: string;
  pm2Home: string;
  pm2: string;
  /**
   * The longest one `pm2` command the deploy runs there may take (default PM2_TIMEOUT_SECONDS): PM2's client waits on
   * its daemon without end, and the daemon runs the app, repository code that can stop or hang it.
   */
  pm2TimeoutSeconds?: number;
  /**
   * A program the deploy puts before the repository code it runs besides the app (`uv sync`, deploy.migrate), inside
   * the allow-listed env: the bundled staging server's confinement (scripts/host/staging/configs.ts confineWrapper).
   * A real server has none, and those commands run as they are.
   */
  confine?: string;
  publicPort: number;
  frontendPorts: number[];
  backendPorts: number[];
  /** Blue/green slots of app ports; without it, the i-th frontend and backend port form slot i. */
  slots?: SlotPorts[];
  /**
   * The nginx include the deploy rewrites to route to a slot, the argv that reloads nginx gracefully, and the access
   * log the watch reads (default: access.log beside upstreamsFile), in WATCH_LOG_FORMAT.
   */
  nginx?: { upstreamsFile: string; reload: string[]; accessLog?: string };
}

/** The default time bound of one `pm2` command on the server (ServerInfo.pm2TimeoutSeconds). */
export const PM2_TIMEOUT_SECONDS = 60;

/** shared/server.json is missing or wrong; nothing was changed on the server. */
export class ServerInfoError extends InputError {
  constructor(where: string, problem: string) {
    super(
      `${where}/shared/server.json ${problem}; nothing was changed on the server. ` +
        "Fix: write it as docs/deploy.md (Server layout) shows, or run npm run pipeline -- staging-server start " +
        "for the bundled server, then deploy again",
    );
  }
}

const isPort = (p: unknown): p is number => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
const isPorts = (a: unknown): a is number[] => Array.isArray(a) && a.length > 0 && a.every(isPort);
const isText = (s: unknown): s is string => typeof s === "string" && s.length > 0;

/** The first problem of a parsed server.json, or undefined when it is usable. */
function problemOf(o: Record<string, unknown>): string | undefined {
  for (const k of ["path", "pm2Home", "pm2"]) if (!isText(o[k])) return `has no "${k}" string`;
  if (o.confine !== undefined && !(isText(o.confine) && o.confine.startsWith("/")))
    return `has a "confine" that is not an absolute path`;
  const t = o.pm2TimeoutSeconds;
  if (t !== undefined && !(typeof t === "number" && Number.isFinite(t) && t > 0 && t <= 3600))
    return `has a "pm2TimeoutSeconds" that is not a number of seconds above 0, at most 3600`;
  if (!isPort(o.publicPort)) return `has no "publicPort" between 1 and 65535`;
  for (const k of ["frontendPorts", "backendPorts"]) if (!isPorts(o[k])) return `has no "${k}" list of ports`;
  if (o.slots !== undefined) {
    const ok =
      Array.isArray(o.slots) &&
      o.slots.length > 0 &&
      o.slots.every((s: Record<string, unknown>) => isPorts(s?.frontendPorts) && isPorts(s?.backendPorts));
    if (!ok) return `has "slots" that is not a list of {frontendPorts, backendPorts}`;
  }
  const n = o.nginx as Record<string, unknown> | undefined;
  if (!n || !isText(n.upstreamsFile) || !Array.isArray(n.reload) || !n.reload.length || !n.reload.every(isText))
    return `has no "nginx": {"upstreamsFile", "reload": [argv]}, which blue/green routing needs`;
  if (n.accessLog !== undefined && !isText(n.accessLog)) return `has an "nginx.accessLog" that is not a path`;
  return undefined;
}

/** shared/server.json is a few hundred bytes; more is not one. */
export const SERVER_INFO_MAX_BYTES = 64 * 1024;
/** What SERVER_INFO_SCRIPT prints for a server.json that is there but is no regular file. */
const NOT_A_FILE = "@@not-a-regular-file@@";

/**
 * The bash that prints shared/server.json, run in the base before the lock: only a regular file, at most one byte past
 * SERVER_INFO_MAX_BYTES (a FIFO there blocked every deploy and rollback; a link to /dev/zero grew the runner).
 */
export const SERVER_INFO_SCRIPT = `f=shared/server.json; if [ -f "$f" ]; then head -c ${SERVER_INFO_MAX_BYTES + 1} -- "$f" 2>/dev/null; elif [ -e "$f" ] || [ -L "$f" ]; then echo ${NOT_A_FILE}; fi; true`;

/** Parse and check shared/server.json's text (SERVER_INFO_SCRIPT's output); throws ServerInfoError saying why. */
export function parseServerInfo(text: string, where: string): ServerInfo {
  if (text.trim() === NOT_A_FILE)
    throw new ServerInfoError(
      where,
      `is not a regular file (a FIFO, a device, a folder or a dangling link): mv shared/server.json shared/server.json.by-hand`,
    );
  if (text.length > SERVER_INFO_MAX_BYTES)
    throw new ServerInfoError(where, `is more than ${SERVER_INFO_MAX_BYTES} bytes, which no server.json needs`);
  if (!text.trim()) throw new ServerInfoError(where, "is missing or empty");
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new ServerInfoError(where, `is not valid JSON (${(e as Error).message})`);
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new ServerInfoError(where, "is not an object");
  const problem = problemOf(o as Record<string, unknown>);
  if (problem) throw new ServerInfoError(where, problem);
  return o as ServerInfo;
}

/** What a path of the base is, as `test -L`, `-d`, `-f` and `-e` tell in that order. */
export type PathKind = "link" | "folder" | "file" | "special" | "none" | "elsewhere";

/** The paths of the base a deploy relies on the kind of. */
type LayoutPath = "current" | "releases" | ".dep/deploy.lock" | ".dep/releases.jsonl" | ".dep/slots.json";
const LAYOUT_PATHS: LayoutPath[] = [
  "current",
  "releases",
  ".dep/deploy.lock",
  ".dep/releases.jsonl",
  ".dep/slots.json",
];

/**
 * The bash that prints `<path> <kind>` for each of LAYOUT_PATHS, run in the base before the lock. `current` is a
 * `link` only when it leads to a release id in this base's releases/ (trailing slashes, `./` or the base's absolute
 * path allowed; the release dir may be gone), else `elsewhere`: every reader takes the link's last part as the
 * release that serves.
 */
export const LAYOUT_SCRIPT = `for p in ${LAYOUT_PATHS.join(" ")}; do
if [ -L "$p" ]; then k=link
  if [ "$p" = current ]; then
    t=$(readlink current); while [[ $t == */ ]]; do t=\${t%/}; done
    n=\${t##*/}; d=.; if [[ $t == */* ]]; then d=\${t%/*}; fi; re='${RELEASE_ID_ERE}'
    if ! [[ $n =~ $re ]] || [ "$(cd -- "\${d:-/}" 2>/dev/null && pwd -P)" != "$(pwd -P)/releases" ]; then k=elsewhere; fi
  fi
elif [ -d "$p" ]; then k=folder; elif [ -f "$p" ]; then k=file
elif [ -e "$p" ]; then k=special; else k=none; fi
echo "$p $k"; done`;

/**
 * What each path must be (absent is always fine), and what it is for. `current` is the link a deploy renames a new one
 * over (mv -T); `releases` a folder of this base (a link would send releases and their removal elsewhere); the lock a
 * file a run creates and removes (written through a link to /dev/null, two runs would both hold it; opened, a FIFO
 * blocks for ever); the release log a file too (appended through a link to /dev/null, every BAD mark would be lost);
 * the slots' state a file (read under the lock, a FIFO blocked every deploy there for ever, deaf to SIGTERM).
 */
const EXPECTED: Record<LayoutPath, { kind: PathKind; what: string }> = {
  current: { kind: "link", what: "the link a deploy switches" },
  releases: { kind: "folder", what: "the folder of this base's releases" },
  ".dep/deploy.lock": { kind: "file", what: "the file a deploy's lock is" },
  ".dep/releases.jsonl": { kind: "file", what: "the file the release log is" },
  ".dep/slots.json": { kind: "file", what: "the file the slots' state is" },
};

const KIND_TEXT: Record<PathKind, string> = {
  link: "a link",
  folder: "a folder",
  file: "a file",
  special: "a FIFO, socket or device",
  none: "absent",
  elsewhere: "a link out of releases/ (to no release of this base)",
};

/**
 * The base's layout edited by hand into something a deploy cannot use (see EXPECTED). Returns the problem and the
 * shell command that fixes it, or undefined. Pure.
 */
export function layoutProblem(
  kinds: Partial<Record<LayoutPath, PathKind>>,
  base: string,
): { problem: string; fix: string } | undefined {
  for (const path of LAYOUT_PATHS) {
    const kind = kinds[path] ?? "none";
    const { kind: want, what } = EXPECTED[path];
    if (kind !== want && kind !== "none")
      return {
        problem: `\`${path}\` is ${KIND_TEXT[kind]}, not ${what}`,
        fix: `mv ${base}/${path} ${base}/${path}.by-hand`,
      };
  }
  return undefined;
}

/** Parse LAYOUT_SCRIPT's output. */
export function parseLayout(text: string): Partial<Record<LayoutPath, PathKind>> {
  const out: Partial<Record<LayoutPath, PathKind>> = {};
  for (const line of text.split("\n")) {
    const m =
      /^(current|releases|\.dep\/deploy\.lock|\.dep\/releases\.jsonl|\.dep\/slots\.json) (link|folder|file|special|none|elsewhere)$/.exec(
        line.trim(),
      );
    if (m) out[m[1] as LayoutPath] = m[2] as PathKind;
  }
  return out;
}
