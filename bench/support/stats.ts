/**
 * Spread of repeated measurements: every bench reports min / median / max, never one run or a mean.
 */
import { InputError } from "../../ci/src/plan/errors";

/** min, median and max of n samples. */
export interface Spread {
  n: number;
  min: number;
  median: number;
  max: number;
}

/** An empty sample set: a bench must measure at least once. */
export class NoSamplesError extends InputError {
  constructor(what: string) {
    super(`${what}: no samples; run the bench with --runs 1 or more`);
  }
}

/** The spread of `xs` (the median of an even count is the mean of the middle two). */
export function spread(xs: number[], what = "samples"): Spread {
  if (xs.length === 0) throw new NoSamplesError(what);
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, min: s[0], median, max: s[s.length - 1] };
}

/** `a[i] / b[i]` for each pair measured in the same round. */
export function pairRatios(a: number[], b: number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`pairRatios: ${a.length} vs ${b.length} samples`);
  return a.map((x, i) => x / b[i]);
}

/**
 * For samples taken a1, b1, a2, b2, …: each b over the geometric mean of the a before and the a after it,
 * b_i / √(a_i · a_i+1) (n − 1 values). A load that drifts steadily through the run cancels out, where the
 * same-round pairs b_i / a_i carry all of the drift between a and b.
 */
export function bracketedRatios(a: number[], b: number[]): number[] {
  if (a.length !== b.length) throw new RangeError(`bracketedRatios: ${a.length} vs ${b.length} samples`);
  return b.slice(0, -1).map((x, i) => x / Math.sqrt(a[i] * a[i + 1]));
}

/** One line: `label  min 1.00 / median 1.20 / max 1.30 s (n=3)`. */
export function formatSpread(label: string, s: Spread, unit = "s", digits = 2): string {
  const f = (x: number) => x.toFixed(digits);
  return `${label.padEnd(46)} min ${f(s.min)} / median ${f(s.median)} / max ${f(s.max)}${unit ? ` ${unit}` : ""} (n=${s.n})`;
}

/**
 * Run the sides in turn, round after round (a, b, c, a, b, c, …), so that a drift in the machine's load falls on
 * every side alike; return each side's samples in round order.
 */
export async function alternate<K extends string, V = number>(
  rounds: number,
  sides: Record<K, () => V | Promise<V>>,
  onSample: (side: K, round: number, value: V) => void = () => {},
): Promise<Record<K, V[]>> {
  const keys = Object.keys(sides) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as V[]])) as Record<K, V[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) {
      const v = await sides[k]();
      out[k].push(v);
      onSample(k, r, v);
    }
  }
  return out;
}

/** A `--runs` value that is not a whole number >= 1. */
export class RunsOptionError extends InputError {
  constructor(readonly value: string) {
    super(`--runs ${value}: give a whole number >= 1, e.g. --runs 3`);
  }
}

/** The `--runs N` option every bench takes (at least 1). */
export function runsOption(value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RunsOptionError(String(value));
  return n;
}
