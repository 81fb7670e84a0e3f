/**
 * A quality check's verdict from its scans' outputs: findings over the allow-list and the threshold, tool errors and
 * unreachable databases, in one line; and the report kept with the stage's others (findings, never a matched value).
 */
import type { PipelineConfig } from "../config/defaults";
import { AUDIT_SEVERITIES, SAST_SEVERITIES } from "../config/quality/defaults";
import { parseNpmAudit, parsePipAudit, type AuditOutcome } from "./audit";
import type { QualityCheckPlan } from "./checks";
import type { Judged, WithVerdict } from "./judged";
import { parseBandit, parseEslint } from "./sast";
import type { Finding, QualityCheckName, Scan, ScanOutput } from "./scan";
import { parseGitleaks } from "./secrets";

/** How one check went, before its line (flow/verdict.ts writes it). */
export interface QualityJudged extends Judged {
  check: QualityCheckName;
  /** failed: it blocks the stage (or the database was unreachable and failWhenUnreachable is set). */
  status: "passed" | "failed";
  blocking: boolean;
  /** Every finding the scans gave, allowed or below the threshold included. */
  findings: Finding[];
  /** Findings at or above the threshold and not allowed. */
  over: Finding[];
  below: number;
  allowed: number;
  /** Tool errors and unreachable databases, one line each. */
  notes: string[];
  seconds: number;
}

/** How one check went, with its one-line verdict. */
export type QualityResult = WithVerdict<QualityJudged>;

/** Run a scan's parser; a tool that failed or printed no report gives an error line instead. */
export function outcomeOf(scan: Scan, out: ScanOutput): AuditOutcome {
  if (out.failedStep) return { findings: [], error: `${scan.tool}: ${out.failedStep} failed (exit ${out.exitCode})` };
  try {
    if (scan.tool === "bandit" || scan.tool === "eslint-security") {
      const r = (scan.tool === "bandit" ? parseBandit : parseEslint)(out.stdout, scan.workdir);
      return { findings: r.findings, ...(r.errors.length ? { error: `${scan.tool}: ${r.errors.join("; ")}` } : {}) };
    }
    if (scan.tool === "gitleaks") return { findings: parseGitleaks(out.stdout) };
    if (scan.tool === "npm-audit") return parseNpmAudit(out.stdout, scan.workdir);
    return parsePipAudit(out.stdout, out.stderr, scan.workdir);
  } catch {
    const why =
      out.stderr
        .split("\n")
        .filter((l) => l.trim())
        .at(-1)
        ?.trim() ?? "";
    return { findings: [], error: `${scan.tool} printed no report (exit ${out.exitCode})${why ? `: ${why}` : ""}` };
  }
}

/** Whether an allow-list entry covers a finding, in the check's own terms (docs/config.md, "Quality gates"). */
export function allows(check: QualityCheckName, entry: string, f: Finding): boolean {
  if (check === "audit") return entry === f.rule || (f.aliases ?? []).includes(entry);
  const [a, b] = splitOnce(entry);
  if (check === "sast") return a === f.rule && (b === undefined || b === f.file);
  return a === f.file && (b === undefined || b === f.rule);
}

/** Judge one check from its scans' outputs. */
export function judge(p: QualityCheckPlan, outs: ScanOutput[], c: PipelineConfig): QualityJudged {
  const outcomes = p.scans.map((s, i) => outcomeOf(s, outs[i]));
  const cfg = c.quality[p.check];
  const all = outcomes.flatMap((o) => o.findings);
  const kept = all.filter((f) => !cfg.allow.some((e) => allows(p.check, e, f)));
  const failOn = "failOn" in cfg ? cfg.failOn : undefined;
  const over = kept.filter((f) => failOn === undefined || rank(p.check, f.severity) >= rank(p.check, failOn));
  const unreachable = outcomes.flatMap((o) => (o.unreachable ? [o.unreachable] : []));
  const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
  const failWhenUnreachable = "failWhenUnreachable" in cfg && cfg.failWhenUnreachable;
  const failed =
    (p.blocking && (over.length > 0 || errors.length > 0)) || (failWhenUnreachable && unreachable.length > 0);
  const counts = { below: kept.length - over.length, allowed: all.length - kept.length };
  const base = {
    check: p.check,
    blocking: p.blocking,
    findings: all,
    over,
    ...counts,
    notes: [...errors, ...unreachable],
  };
  const seconds = Math.max(0, ...outs.map((o) => o.seconds));
  const parts = verdictParts(base, failOn, unreachable, errors, failWhenUnreachable);
  return { ...base, ...parts, status: failed ? "failed" : "passed", seconds };
}

const NOUNS: Record<QualityCheckName, [string, string]> = {
  sast: ["finding", "findings"],
  secrets: ["secret", "secrets"],
  audit: ["advisory", "advisories"],
};

/** The verdict's parts: the findings over the bar (three named), counts, tool errors, unreachable databases. */
function verdictParts(
  r: Pick<QualityJudged, "check" | "over" | "below" | "allowed" | "blocking">,
  failOn: string | undefined,
  unreachable: string[],
  errors: string[],
  failWhenUnreachable: boolean,
): Pick<Judged, "warns" | "headline" | "facts" | "remarks"> {
  const [one, many] = NOUNS[r.check];
  const n = r.over.length;
  const bar = failOn ? ` at or above ${failOn}` : "";
  const more = n > 3 ? `; and ${n - 3} more` : "";
  const headline = n
    ? `${n} ${n === 1 ? one : many}${bar}: ${r.over.slice(0, 3).map(where).join("; ")}${more}`
    : `no ${many}${bar}`;
  const facts = [
    r.below ? `${r.below} below` : "",
    r.allowed ? `${r.allowed} allowed` : "",
    ...errors,
    ...unreachable.map((u) => `advisory database unreachable: ${u}`),
  ].filter(Boolean);
  const remarks = [
    r.check === "secrets" && n ? "values are never shown" : "",
    n && !r.blocking ? `informs only: quality.${r.check}.blocking is false` : "",
    unreachable.length && !failWhenUnreachable ? "not failing for that (quality.audit.failWhenUnreachable: false)" : "",
  ].filter(Boolean);
  return { warns: n > 0, headline, facts, remarks };
}

/** `tool rule severity file:line`, the way every report names a finding. */
export function where(f: Finding): string {
  return `${f.tool} ${f.rule} ${f.severity} ${f.file}${f.line ? `:${f.line}` : ""}`;
}

function rank(check: QualityCheckName, severity: string): number {
  const scale: readonly string[] = check === "audit" ? ["info", ...AUDIT_SEVERITIES] : SAST_SEVERITIES;
  const i = scale.indexOf(severity.toLowerCase());
  return i === -1 ? scale.length : i;
}

function splitOnce(entry: string): [string, string | undefined] {
  const i = entry.indexOf(":");
  return i === -1 ? [entry, undefined] : [entry.slice(0, i), entry.slice(i + 1)];
}

/** The check's report as kept with the stage's others: the verdict and each finding's place, never a value. */
export function qualityReport(r: QualityResult): string {
  const { check, status, verdict, notes, over, findings } = r;
  return `${JSON.stringify({ check, status, verdict, notes, over, findings }, null, 2)}\n`;
}
