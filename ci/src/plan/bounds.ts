/**
 * Every numeric bound a setting has, declared once: pipeline.yaml's schema (plan/config/schema.ts), the host CLI's
 * flag parsers (scripts/host/cli/values.ts) and the Dagger functions' checks read them here, so a flag and the config
 * key of the same meaning refuse the same values with the same words. docs/requirements.md#R-bounds lists them.
 */
import { InputError } from "./errors";

export interface Bound {
  min: number;
  max: number;
  /** A good value, for the fix. */
  example: number;
  /** Whole numbers only. */
  whole: boolean;
  /** How the fix names the unit: "a whole number", "seconds", "minutes", "a percentage" … */
  unit: string;
  /** The minimum itself is refused (a duration above 0). */
  aboveMin?: boolean;
}

const count = (min: number, max: number, example: number, unit = "a whole number"): Bound => ({
  min,
  max,
  example,
  whole: true,
  unit,
});
const secs = (min: number, max: number, example: number): Bound => ({
  min,
  max,
  example,
  whole: false,
  unit: "seconds",
});
const percent = (example: number): Bound => ({ min: 0, max: 100, example, whole: false, unit: "a percentage" });
const minutes = (example: number): Bound => ({
  min: 0,
  max: 1440,
  example,
  whole: false,
  unit: "minutes",
  aboveMin: true,
});

/** The bounds, by the pipeline.yaml key they limit (and every flag of the same meaning). */
export const BOUNDS = {
  /** e2e.shards, --shards, --index, --total: a CI matrix of more machines than this costs more than it saves. */
  "e2e.shards": count(1, 64, 4),
  /** frontend.cores.<step>: more than a large runner has is a typo. */
  "frontend.cores": count(1, 256, 2, "a whole number of cores"),
  "e2e.readyAttempts": count(1, 360, 30),
  "e2e.readyIntervalSeconds": secs(0, 60, 10),
  "deploy.keep": count(1, 50, 5),
  "deploy.health.attempts": count(1, 60, 10),
  "deploy.health.intervalSeconds": secs(0.1, 60, 5),
  "deploy.health.failuresBeforeRollback": count(1, 20, 3),
  "deploy.watch.windowSeconds": secs(0, 1800, 60),
  /** The migration runs under the deploy lock and no signal cuts it: its bound is how long the lock can wait on it. */
  "deploy.migrateTimeoutSeconds": { ...secs(0, 3600, 600), aboveMin: true },
  "deploy.watch.errorRatePercent": percent(5),
  "deploy.watch.minRequests": count(1, 1_000_000, 20),
  "deploy.watch.p95RollbackSeconds": secs(0, 120, 5),
  "deploy.watch.p95AlertSeconds": secs(0, 120, 2),
  "deploy.canary.steps": count(1, 100, 25, "a whole percent"),
  "services.mongo.port": count(1, 65535, 27017, "a TCP port"),
  "thresholds.minutes": minutes(5),
  "thresholds.coverage": percent(85),
  "quality.budgets.performance": count(0, 100, 80, "a Lighthouse score"),
  "quality.budgets.lcpMs": count(1, 120_000, 4000, "milliseconds"),
  "quality.budgets.cls": { min: 0, max: 10, example: 0.1, whole: false, unit: "a layout-shift score" },
  "quality.budgets.totalKib": count(1, 1_000_000, 1024, "KiB"),
  "quality.visual.maxDiffPixelRatio": { min: 0, max: 1, example: 0.01, whole: false, unit: "a share of pixels" },
  "billing.ratePerMinute": { min: 0, max: 10, example: 0.008, whole: false, unit: "dollars per minute" },
} as const satisfies Record<string, Bound>;

export type BoundName = keyof typeof BOUNDS;

/** "a whole number from 1 to 64": the range, as every message about the bound says it. */
export function rangeOf(b: Bound): string {
  return b.aboveMin ? `${b.unit} above ${b.min} and at most ${b.max}` : `${b.unit} from ${b.min} to ${b.max}`;
}

/** Why `n` is out of `b` ("must be at most 64"), or undefined when it is within. */
export function outOfBound(b: Bound, n: number): string | undefined {
  if (typeof n !== "number" || Number.isNaN(n)) return "must be a number";
  if (b.whole && !Number.isInteger(n)) return "is not a whole number";
  if (b.aboveMin ? n <= b.min : n < b.min) return `must be ${b.aboveMin ? "more than" : "at least"} ${b.min}`;
  if (n > b.max) return `must be at most ${b.max}`;
  return undefined;
}

/** A value out of its bound, given as a flag or a function argument. */
export class BoundError extends InputError {
  constructor(
    readonly label: string,
    readonly value: unknown,
    readonly bound: Bound,
    why: string,
    fix: string,
  ) {
    super(`${label} ${String(value)} ${why}: use ${rangeOf(bound)}, e.g. ${fix}`);
  }
}

/** `n` when it is within the bound named `name`; else BoundError naming `label` (a flag) and the bound. */
export function checkBound(
  name: BoundName,
  label: string,
  n: number,
  fix = `${label} ${BOUNDS[name].example}`,
): number {
  const b: Bound = BOUNDS[name];
  const why = outOfBound(b, n);
  if (why) throw new BoundError(label, n, b, why, fix);
  return n;
}
