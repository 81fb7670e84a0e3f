/**
 * fast-tests' quality checks written once: plan them from the config and the trigger, run every scan in parallel,
 * judge each check, keep its report, and give each a row of the stage summary whose detail is its one-line verdict.
 */
import type { PipelineConfig } from "../plan/config/defaults";
import { thresholdOf } from "../plan/config/thresholds";
import { planQualityChecks, type QualityCheckPlan } from "../plan/quality/checks";
import type { QualityCheckName, Scan, ScanOutput } from "../plan/quality/scan";
import { judge, qualityReport, type QualityResult } from "../plan/quality/verdict";
import type { JobResult } from "../plan/report/summary";
import type { ResolvedTrigger } from "./triggers";
import { formatVerdict } from "./verdict";

/** What the checks need from a runner. */
export interface QualityPorts {
  /** Run one scan: its install steps must pass; the scan's exit code and streams are returned, never thrown. */
  runScan(scan: Scan): Promise<ScanOutput>;
  /** Keep a check's JSON report with the stage's others; the line saying where, if the runner keeps files. */
  saveQualityReport(check: QualityCheckName, json: string): Promise<string | undefined>;
}

/** The enabled checks for this trigger: a pull request (or a --base/--head range) scans its commits for secrets. */
export function qualityChecksFor(c: PipelineConfig, t: ResolvedTrigger): QualityCheckPlan[] {
  const r = t.resolution;
  const range = r?.kind === "diff" ? { base: r.base, head: r.head } : undefined;
  return planQualityChecks(c, { event: t.event, range });
}

/** Run and judge every check; the results, and where their reports went. */
export async function qualityChecksFlow(
  checks: QualityCheckPlan[],
  c: PipelineConfig,
  ports: QualityPorts,
): Promise<{ results: QualityResult[]; reports: string[] }> {
  const judged = await Promise.all(
    checks.map(async (p) => {
      const judged = judge(p, await Promise.all(p.scans.map((s) => ports.runScan(s))), c);
      const result: QualityResult = { ...judged, verdict: formatVerdict(judged) };
      return { result, where: await ports.saveQualityReport(p.check, qualityReport(result)) };
    }),
  );
  return { results: judged.map((j) => j.result), reports: judged.flatMap((j) => (j.where ? [j.where] : [])) };
}

/** A check as a row of the stage summary: its status, its slowest scan's time, its verdict as the detail. */
export function qualityRow(r: QualityResult, c: PipelineConfig, p: QualityCheckPlan): JobResult {
  const tools = p.scans.map((s) => s.tool).join("+");
  return {
    job: r.check,
    status: r.status,
    seconds: r.seconds,
    threshold: thresholdOf(c.thresholds.fastTests),
    reason: r.verdict,
    ...(r.status === "failed" ? { failedStep: tools, output: r.verdict } : {}),
  };
}
