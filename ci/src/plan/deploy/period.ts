/** The period a metrics report covers, and the E2E records read for it; pure. */
import { InputError } from "../errors";
import type { E2eRun } from "./metrics";

/** A period or a file that cannot be read. */
export class MetricsInputError extends InputError {}

/** [since, until]: YYYY-MM-DD (UTC days, both included), default the 30 days up to now. */
export function metricsPeriod(
  since: string | undefined,
  until: string | undefined,
  now: Date,
): { from: Date; to: Date } {
  const day = (s: string, flag: string) => {
    const d = new Date(`${s}T00:00:00Z`);
    // Date rolls a day the month has not over (2026-02-30 is March 2), so the day must read back the same.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s)
      throw new MetricsInputError(`${flag} "${s}" is not a date; pass YYYY-MM-DD, e.g. ${flag} 2026-11-01`);
    return d;
  };
  const to = until ? new Date(day(until, "--until").getTime() + 864e5) : now;
  const from = since ? day(since, "--since") : new Date(to.getTime() - 30 * 864e5);
  if (from >= to) throw new MetricsInputError(`--since ${since} is not before --until ${until ?? "now"}`);
  return { from, to };
}

/** E2E promotion records from their JSON texts; a malformed one is skipped. */
export function parseE2eRuns(texts: string[]): E2eRun[] {
  return texts.flatMap((t) => {
    try {
      const r = JSON.parse(t) as Partial<E2eRun>;
      return typeof r.commit === "string" && (r.status === "passed" || r.status === "failed")
        ? [{ passed: 0, failed: 0, flaky: 0, finishedAt: "", suite: "", report: "", ...r } as E2eRun]
        : [];
    } catch {
      return [];
    }
  });
}
