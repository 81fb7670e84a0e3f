import { describe, expect, it } from "vitest";
import { moduleFigures } from "../../../../scripts/engine-lab/module/report";
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

describe("moduleFigures", () => {
  it("averages the passed warm runs and divides by the host's figure of the same kind", () => {
    const rows = [
      row("functions-cold", 600),
      row("functions-warm-1", 4),
      row("functions-warm-2", 6),
      row("fast-tests-cold", 200),
      row("fast-tests-warm-1", 10),
      row("fast-tests-warm-2", 99, "failed"),
    ];
    const host = { cold: { seconds: 100, passed: true }, warm: { seconds: 50, passed: true } };
    const lines = moduleFigures(rows, host);
    expect(lines).toContain("| module load, `dagger functions` warm | 5.0 | 2 | 2.5, 2.5 | - | - | - |");
    expect(lines).toContain("| `dagger call fast-tests` cold | 200.0 | 1 | 2.5 | 100.0 | ? | 2.00 |");
    expect(lines).toContain("| `dagger call fast-tests` warm | 10.0 | 1 | 2.5 | 50.0 | ? | 0.20 |");
  });

  it("leaves the ratio out when the host run failed", () => {
    const host = { cold: { seconds: 100, passed: false }, warm: { seconds: 50, passed: true } };
    expect(moduleFigures([row("fast-tests-cold", 200)], host)).toContain(
      "| `dagger call fast-tests` cold | 200.0 | 1 | 2.5 | 100.0 | ? | - |",
    );
  });

  it("divides by the mean of the host's passed warm runs and shows the load at each", () => {
    const warmRuns = [
      { seconds: 40, passed: true, load: 3 },
      { seconds: 60, passed: true, load: 5.5 },
      { seconds: 999, passed: false, load: 9 },
    ];
    const host = { cold: { seconds: 100, passed: true, load: 1 }, warm: warmRuns[0], warmRuns };
    const rows = [row("fast-tests-warm-1", 20, "passed", 4), row("fast-tests-warm-2", 30, "passed", 6)];
    expect(moduleFigures(rows, host)).toContain(
      "| `dagger call fast-tests` warm | 25.0 | 2 | 4.0, 6.0 | 50.0 | 3.0, 5.5, 9.0 | 0.50 |",
    );
  });
});
