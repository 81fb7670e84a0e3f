import { describe, expect, it } from "vitest";
import { moduleFigures } from "../../../../scripts/engine-lab/module/report";
import type { RowResult } from "../../../../scripts/engine-lab/module/typed";

const row = (name: string, seconds: number, status: RowResult["status"] = "passed"): RowResult => ({
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
    expect(lines).toContain("| module load, `dagger functions` warm | 5.0 | 2 | - | - |");
    expect(lines).toContain("| `dagger call fast-tests` cold | 200.0 | 1 | 100.0 | 2.00 |");
    expect(lines).toContain("| `dagger call fast-tests` warm | 10.0 | 1 | 50.0 | 0.20 |");
  });

  it("leaves the ratio out when the host run failed", () => {
    const host = { cold: { seconds: 100, passed: false }, warm: { seconds: 50, passed: true } };
    expect(moduleFigures([row("fast-tests-cold", 200)], host)).toContain(
      "| `dagger call fast-tests` cold | 200.0 | 1 | 100.0 | - |",
    );
  });
});
