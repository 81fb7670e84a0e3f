/**
 * Shard planning for Playwright, pure like Playwright's own `filterForShard`: whole spec
 * files are packed into N shards by their previous durations (LPT), because Playwright's
 * `--shard` balances by test count only (microsoft/playwright #17969, #20116).
 */
import { BOUNDS, outOfBound, rangeOf } from "../bounds";
import { InputError } from "../errors";

/** How the shards were cut: by previous timings, or by Playwright's own `--shard=i/N`. */
export type BalanceMode = "balanced" | "playwright";

/** One shard: its 1-based index, the spec files it runs (balanced mode) and their expected seconds. */
export interface Shard {
  index: number;
  files: string[];
  seconds: number;
}

export interface ShardAssignment {
  mode: BalanceMode;
  /** In playwright mode each shard's `files` is empty: `--shard=i/N` picks its tests. */
  shards: Shard[];
  /** Why the mode was chosen, and how many files got the mean weight. */
  reason: string;
}

/** The most shards a run is cut into: a CI matrix of more machines than this costs more than it saves. */
export const MAX_SHARDS = BOUNDS["e2e.shards"].max;

/** A shard count that cannot be used: says which value and what to pass instead. */
export class ShardCountError extends InputError {
  constructor(readonly shards: unknown) {
    super(
      `--shards ${String(shards)} is not ${rangeOf(BOUNDS["e2e.shards"])}. Run e.g. \`npm run pipeline -- end-to-end --shards 4\` (or \`dagger call end-to-end --shards 4\`).`,
    );
  }
}

/** Check a shard count and clamp it to the number of spec files; a clamp comes with a warning. */
export function validateShardCount(shards: unknown, fileCount: number): { shards: number; warning?: string } {
  if (typeof shards !== "number" || outOfBound(BOUNDS["e2e.shards"], shards) !== undefined)
    throw new ShardCountError(shards);
  if (fileCount > 0 && shards > fileCount) {
    return {
      shards: fileCount,
      warning: `--shards ${shards} is more than the ${fileCount} spec files; using ${fileCount} shards, one file each`,
    };
  }
  return { shards };
}

/**
 * Assign spec files to `n` shards. With timings for at least one current file, longest file
 * first goes to the least-loaded shard (ties: fewest files, then lowest index, so no shard is
 * empty while files remain); files without a timing weigh the mean. With none, fall back to
 * Playwright's `--shard`.
 */
export function assignShards(files: string[], n: number, timings: ReadonlyMap<string, number>): ShardAssignment {
  // Sorted, so the float sum (and every tie after it) is the same on each machine that plans one shard alone.
  // A time no run could have measured (NaN, Infinity, below 0: a hand-edited report) counts as unknown: it would pile
  // every file on one shard and leave others with none, and a balanced shard with no file runs the whole suite.
  const timed = (f: string) => {
    const t = timings.get(f);
    return t !== undefined && Number.isFinite(t) && t >= 0;
  };
  const known = files.filter(timed).sort();
  if (known.length === 0) {
    const why = timings.size === 0 ? "no previous report" : "the previous report times none of the current spec files";
    return {
      mode: "playwright",
      shards: range(n).map((i) => ({ index: i + 1, files: [], seconds: 0 })),
      reason: `${why}: Playwright's --shard=i/${n} (by test count)`,
    };
  }
  const mean = known.reduce((s, f) => s + (timings.get(f) ?? 0), 0) / known.length;
  const weight = (f: string) => (timed(f) ? (timings.get(f) as number) : mean);
  // Code-unit order, not localeCompare: a tie must break the same way under every machine's locale.
  const order = [...files].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const shards: Shard[] = range(n).map((i) => ({ index: i + 1, files: [], seconds: 0 }));
  for (const f of order) {
    const target = shards.reduce((best, s) =>
      s.seconds < best.seconds || (s.seconds === best.seconds && s.files.length < best.files.length) ? s : best,
    );
    target.files.push(f);
    target.seconds += weight(f);
  }
  const unknown = files.length - known.length;
  return {
    mode: "balanced",
    shards,
    reason: `previous timings for ${known.length}/${files.length} files${unknown ? ` (${unknown} at the mean, ${mean.toFixed(1)}s)` : ""}: LPT by file`,
  };
}

/** The longest shard's expected seconds ÷ the ideal (total ÷ N): 1.00 is perfect balance. */
export function balanceRatio(loads: number[]): number {
  const total = loads.reduce((s, x) => s + x, 0);
  if (total === 0 || loads.length === 0) return 1;
  return Math.max(...loads) / (total / loads.length);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
