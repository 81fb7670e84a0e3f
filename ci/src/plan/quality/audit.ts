/**
 * Dependency audit: npm audit on the frontend's package-lock.json and pip-audit on the backend's uv.lock (exported as
 * pinned requirements), each against its advisory database. A database that cannot be reached is one line, not a
 * finding: the check passes unless quality.audit.failWhenUnreachable says otherwise.
 */
import type { PipelineConfig } from "../config/defaults";
import { planBackendJob } from "../fastTests/backend";
import { planFrontendJob } from "../fastTests/frontend";
import { SCRATCH, type Finding, type Scan } from "./scan";

export const PIP_AUDIT_VERSION = "2.10.1";
const REQUIREMENTS = `${SCRATCH}/requirements.txt`;

/** What an audit gave: its findings, or why there are none to trust. */
export interface AuditOutcome {
  findings: Finding[];
  /** The advisory database could not be reached (or refused): one line saying which and why. */
  unreachable?: string;
  /** The tool failed for another reason (no lockfile …). */
  error?: string;
}

/** `npm audit` on the lockfile alone (no node_modules needed); the registry from quality.audit.npmRegistry if set. */
export function planNpmAuditScan(c: PipelineConfig): Scan {
  const fe = planFrontendJob(c);
  const registry = c.quality.audit.npmRegistry ? ["--registry", c.quality.audit.npmRegistry] : [];
  return {
    ...fe,
    name: "audit-frontend",
    check: "audit",
    tool: "npm-audit",
    tree: "source",
    manifests: [],
    install: [],
    steps: [{ name: "npm audit", argv: ["npm", "audit", "--json", "--package-lock-only", ...registry] }],
    caches: fe.caches.filter((m) => m.path === "/root/.npm"),
    env: {},
    artifacts: [],
    files: [],
  };
}

/** uv exports the lock as pinned requirements; the pinned pip-audit checks them against OSV. */
export function planPipAuditScan(c: PipelineConfig): Scan {
  const be = planBackendJob(c);
  const exportArgv = ["uv", "export", "--frozen", "--no-hashes", "--no-emit-project", "--all-extras", "--all-groups"];
  const audit = ["uvx", "--from", `pip-audit==${PIP_AUDIT_VERSION}`, "pip-audit", "-r", REQUIREMENTS];
  const flags = ["--no-deps", "--disable-pip", "-s", "osv", "--osv-url", c.quality.audit.osvUrl, "-f", "json"];
  return {
    ...be,
    name: "audit-backend",
    check: "audit",
    tool: "pip-audit",
    tree: "source",
    manifests: [],
    install: [{ name: "uv export", argv: [...exportArgv, "--format", "requirements-txt", "-o", REQUIREMENTS] }],
    steps: [{ name: "pip-audit", argv: [...audit, ...flags, "--progress-spinner", "off"] }],
    services: [],
    env: { UV_LINK_MODE: "copy", UV_PYTHON_DOWNLOADS: "never" },
    tools: be.tools.filter((t) => !t.python),
    artifacts: [],
    files: [],
  };
}

/** Network failures, and a database that answered but refused the query: the advisories were not consulted. */
const UNREACHABLE = new RegExp(
  [
    "ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|ENETUNREACH|request to \\S+ failed",
    "Failed to establish a new connection|Max retries exceeded|ConnectTimeout|ReadTimeout|Could not connect",
    "\\b[45]\\d\\d\\b[^\\n]*(advisories|osv|query)",
  ].join("|"),
  "i",
);

interface NpmAuditReport {
  message?: string;
  error?: { summary?: string };
  vulnerabilities?: Record<
    string,
    {
      name: string;
      severity: string;
      via: (string | { url?: string; title?: string; severity?: string; range?: string })[];
    }
  >;
}

/** npm audit's JSON: one finding per advisory and package, or the registry's refusal as an unreachable line. */
export function parseNpmAudit(stdout: string, workdir: string): AuditOutcome {
  const r = JSON.parse(stdout || "{}") as NpmAuditReport;
  if (!r.vulnerabilities) {
    const why = firstLine(r.message ?? (r.error?.summary || "npm audit printed no report"));
    return UNREACHABLE.test(why) ? { findings: [], unreachable: `npm audit: ${why}` } : { findings: [], error: why };
  }
  const file = workdir === "." ? "package-lock.json" : `${workdir}/package-lock.json`;
  return {
    findings: Object.values(r.vulnerabilities).flatMap((v) =>
      v.via
        .filter((a) => typeof a === "object")
        .map((a) => ({
          tool: "npm-audit",
          rule: a.url?.split("/").at(-1) ?? "advisory",
          severity: a.severity ?? v.severity,
          file,
          message: `${v.name} ${a.range ?? ""}: ${a.title ?? ""}`.replace(/ +:/, ":"),
        })),
    ),
  };
}

interface PipAuditReport {
  dependencies: {
    name: string;
    version?: string;
    vulns?: { id: string; aliases?: string[]; description?: string }[];
  }[];
}

/** pip-audit's JSON (exit 1 with findings too); a traceback naming a connection failure is the unreachable line. */
export function parsePipAudit(stdout: string, stderr: string, workdir: string): AuditOutcome {
  if (!stdout.trim().startsWith("{")) {
    const why =
      stderr
        .split("\n")
        .filter((l) => UNREACHABLE.test(l))
        .at(-1) ?? lastLine(stderr);
    if (!UNREACHABLE.test(why)) return { findings: [], error: `pip-audit: ${clip(why)}` };
    return { findings: [], unreachable: `pip-audit: ${networkReason(why)}` };
  }
  const r = JSON.parse(stdout) as PipAuditReport;
  const file = workdir === "." ? "uv.lock" : `${workdir}/uv.lock`;
  return {
    findings: r.dependencies.flatMap((d) =>
      (d.vulns ?? []).map((v) => ({
        tool: "pip-audit",
        // OSV gives no severity to pip-audit; an advisory without one is ranked high.
        rule: v.id,
        aliases: v.aliases ?? [],
        severity: "high",
        file,
        message: `${d.name} ${d.version ?? ""}: ${clip(v.description ?? "")}`,
      })),
    ),
  };
}

/** Why requests could not connect, most telling first. */
const NETWORK_REASONS = [
  /Failed to establish a new connection: [^"')]+/,
  /Read timed out/,
  /Name or service not known|Temporary failure in name resolution/,
  /Max retries exceeded/,
];

/** requests' long exception text as `host:port: reason`. */
function networkReason(line: string): string {
  const host = /host='([^']+)', port=(\d+)/.exec(line);
  const reason = NETWORK_REASONS.map((re) => re.exec(line)?.[0]).find(Boolean);
  return host && reason ? `${host[1]}:${host[2]}: ${reason.trim()}` : clip(line);
}

function firstLine(s: string): string {
  return (
    s
      .split("\n")
      .find((l) => l.trim())
      ?.trim() ?? ""
  );
}

function lastLine(s: string): string {
  return (
    s
      .split("\n")
      .filter((l) => l.trim())
      .at(-1)
      ?.trim() ?? "pip-audit printed no report"
  );
}

function clip(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
