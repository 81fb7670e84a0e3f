/**
 * What judging a quality check gives before it becomes its one line: every check of both tiers (sast, secrets,
 * audit, a11y, budgets, visual) fills these parts, and flow/verdict.ts writes the line from them, once. Pure.
 */

/** A check's judgement, as parts of its line. */
export interface Judged {
  check: string;
  /** failed: the check fails its stage (fast-tests) or makes E2E red. */
  status: "passed" | "failed";
  /** Findings that do not fail the check (informs only): WARNING instead of passed. */
  warns: boolean;
  /** What fails it, or what holds: `1 secret: gitleaks github-pat high a.py:3`, `no findings at or above medium`. */
  headline: string;
  /** Counts, measurements and notes, in brackets after the headline. */
  facts: string[];
  /** Remarks after the body, each after a semicolon: `values are never shown`. */
  remarks: string[];
}

/** A judgement with its one-line verdict, as the summaries, reports and notifications carry it. */
export type WithVerdict<T extends Judged> = T & { verdict: string };
