import { describe, expect, it } from "vitest";
import { formatSpread, moduleFigures, ratioSpread, spread } from "../../../../scripts/engine-lab/module/report";
import type { RowResult } from "../../../../scripts/engine-lab/module/typed";

const row = (name: string, seconds: number, status: RowResult["status"] = "passed", load = 2.5): RowResult => ({
  load,
  row: name,
  command: "dagger …",
  expect: 0,
  exit: status === "passed" ? 0 : 1,
  seconds,
  status,
  firstLine: "",
});

describe("spread", () => {
  it("gives the median of an odd and an even count, with min and max", () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(spread([40, 10, 20, 30])).toEqual({ median: 25, min: 10, max: 40, n: 4 });
    expect(spread([])).toBeUndefined();
  });

  it("formats one run as its value and several as median (min–max)", () => {
    expect(formatSpread(spread([7]))).toBe("7.0");
    expect(formatSpread(spread([30, 10, 20]))).toBe("20.0 (10.0–30.0)");
    expect(formatSpread(undefined)).toBe("-");
  });

  it("brackets the ratio by the fastest engine ÷ slowest host and the slowest engine ÷ fastest host", () => {
    const r = ratioSpread(spread([10, 20, 30]), spread([40, 50, 60]));
    expect(formatSpread(r, 2)).toBe("0.40 (0.17–0.75)");
  });
});

describe("moduleFigures", () => {
  it("takes the median of the passed warm runs and divides by the host's figure of the same kind", () => {
    const rows = [
      row("functions-cold", 600),
      row("functions-warm-1", 4),
      row("functions-warm-2", 6),
      row("functions-warm-3", 50),
      row("fast-tests-cold", 200),
      row("fast-tests-warm-1", 10),
      row("fast-tests-warm-2", 99, "failed"),
    ];
    const host = { cold: { seconds: 100, passed: true }, warm: { seconds: 50, passed: true } };
    const lines = moduleFigures(rows, host);
    expect(lines).toContain(
      "| module load, `dagger functions` warm | 6.0 (4.0–50.0) | 3 | 2.5, 2.5, 2.5 | - | - | - | - |",
    );
    expect(lines).toContain("| `dagger call fast-tests` cold | 200.0 | 1 | 2.5 | 100.0 | 1 of 1 | ? | 2.00 |");
    expect(lines).toContain("| `dagger call fast-tests` warm | 10.0 | 1 | 2.5 | 50.0 | 1 of 1 | ? | 0.20 |");
  });

  it("leaves the ratio out when the host run failed", () => {
    const host = { cold: { seconds: 100, passed: false }, warm: { seconds: 50, passed: true } };
    expect(moduleFigures([row("fast-tests-cold", 200)], host)).toContain(
      "| `dagger call fast-tests` cold | 200.0 | 1 | 2.5 | - | 0 of 1 | ? | - |",
    );
  });

  it("divides by the host's passed warm runs and shows the load at each", () => {
    const warmRuns = [
      { seconds: 40, passed: true, load: 3 },
      { seconds: 60, passed: true, load: 5.5 },
      { seconds: 999, passed: false, load: 9 },
    ];
    const host = { cold: { seconds: 100, passed: true, load: 1 }, warm: warmRuns[0], warmRuns };
    const rows = [row("fast-tests-warm-1", 20, "passed", 4), row("fast-tests-warm-2", 30, "passed", 6)];
    expect(moduleFigures(rows, host)).toContain(
      "| `dagger call fast-tests` warm | 25.0 (20.0–30.0) | 2 | 4.0, 6.0 | 50.0 (40.0–60.0) | 2 of 3 | 3.0, 5.5, 9.0 | 0.50 (0.33–0.75) |",
    );
  });
});
