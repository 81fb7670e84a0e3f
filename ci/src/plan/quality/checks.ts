/** Which quality checks fast-tests runs, and their scans: what pipeline.yaml turned on, scoped by the trigger. */
import type { PipelineConfig } from "../config/defaults";
import { planNpmAuditScan, planPipAuditScan } from "./audit";
import { planBanditScan, planEslintScan } from "./sast";
import type { QualityCheckName, Scan } from "./scan";
import { planSecretsScan, type CommitRange } from "./secrets";

/** One check: its scans (run in parallel) and whether its failure fails the stage. */
export interface QualityCheckPlan {
  check: QualityCheckName;
  blocking: boolean;
  scans: Scan[];
}

/** What the trigger says about the scope of the secret scan. */
export interface QualityTrigger {
  event?: string;
  /** The diff the trigger resolved to, when it has one. */
  range?: CommitRange;
}

/** The enabled checks; the secret scan reads a pull request's commits (or a --base/--head range), else the tree. */
export function planQualityChecks(c: PipelineConfig, t: QualityTrigger = {}): QualityCheckPlan[] {
  const q = c.quality;
  const checks: QualityCheckPlan[] = [];
  if (q.sast.enabled)
    checks.push({ check: "sast", blocking: q.sast.blocking, scans: [planBanditScan(c), planEslintScan(c)] });
  if (q.secrets.enabled) {
    const diff = t.range && (t.event === undefined || t.event === "pull_request") ? t.range : undefined;
    checks.push({ check: "secrets", blocking: q.secrets.blocking, scans: [planSecretsScan(c, diff)] });
  }
  if (q.audit.enabled)
    checks.push({ check: "audit", blocking: q.audit.blocking, scans: [planNpmAuditScan(c), planPipAuditScan(c)] });
  return checks;
}
