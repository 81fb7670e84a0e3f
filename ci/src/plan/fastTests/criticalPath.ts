/**
 * What the measured start and end times of a job's steps say: the chain of waits that set the job's length, and
 * which steps ran beside each other.
 */
import type { StepTiming } from "./graph";
import type { JobResult } from "../report/summary";

/** Timings come from two clock reads; a step that starts within this many seconds of another's end waited on it. */
const SLACK_SECONDS = 0.25;

export interface CriticalPath {
  steps: { name: string; seconds: number }[];
  /** From the first step's start to the last step's end. */
  seconds: number;
}

/**
 * Walk back from the step that ended last: each link is the step that ended last before this one started (what it
 * waited on, for its `after:` or for cores).
 */
export function planCriticalPath(timings: StepTiming[]): CriticalPath {
  if (timings.length === 0) return { steps: [], seconds: 0 };
  const latest = (ts: StepTiming[]) => ts.reduce((a, b) => (b.end > a.end ? b : a));
  const chain: StepTiming[] = [latest(timings)];
  for (;;) {
    const head = chain[0];
    const before = timings.filter((t) => t !== head && !chain.includes(t) && t.end <= head.start + SLACK_SECONDS);
    if (before.length === 0) break;
    chain.unshift(latest(before));
  }
  return {
    steps: chain.map((t) => ({ name: t.name, seconds: t.end - t.start })),
    seconds: chain[chain.length - 1].end - chain[0].start,
  };
}

/** `critical path: install 12.1s → unit 30.2s = 42.3s` */
export function formatCriticalPath(p: CriticalPath): string {
  const links = p.steps.map((s) => `${s.name} ${s.seconds.toFixed(1)}s`).join(" → ");
  return `critical path: ${links} = ${p.seconds.toFixed(1)}s`;
}

/** Groups of steps whose run times overlapped (each group of two or more), in start order. */
export function parallelGroups(timings: StepTiming[]): string[][] {
  const sorted = [...timings].sort((a, b) => a.start - b.start);
  const groups: { names: string[]; end: number }[] = [];
  for (const t of sorted) {
    const open = groups.at(-1);
    if (open && t.start < open.end - SLACK_SECONDS) {
      open.names.push(t.name);
      open.end = Math.max(open.end, t.end);
    } else groups.push({ names: [t.name], end: t.end });
  }
  return groups.filter((g) => g.names.length > 1).map((g) => g.names);
}

/** `in parallel: lint, typecheck, unit` lines, one per group that overlapped. */
export function formatParallel(timings: StepTiming[]): string[] {
  return parallelGroups(timings).map((g) => `in parallel: ${g.join(", ")}`);
}

/** Per job that measured its steps: which ran side by side, and its critical path (the stage summary's lines). */
export function formatStepLines(results: JobResult[]): string[] {
  return results.flatMap((r) =>
    r.steps?.length
      ? [...formatParallel(r.steps), formatCriticalPath(planCriticalPath(r.steps))].map((l) => `${r.job}: ${l}`)
      : [],
  );
}
