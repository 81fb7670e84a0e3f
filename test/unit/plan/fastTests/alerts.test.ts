import { describe, expect, it } from "vitest";
import { coverageDrops } from "../../../../ci/src/plan/fastTests/alerts";

const threshold = { targetSeconds: 300, alertSeconds: 420 };

describe("coverageDrops", () => {
  it("raises one warning per job measured below the minimum, and none for a job without a figure", () => {
    const events = coverageDrops(
      [
        { job: "backend", status: "failed", seconds: 9, threshold, coverage: 62.3 },
        { job: "frontend", status: "passed", seconds: 40, threshold },
        { job: "other", status: "passed", seconds: 3, threshold, coverage: 91 },
      ],
      85,
    );
    expect(events).toEqual([{ kind: "coverage-drop", text: "backend coverage 62.30% is below 85%" }]);
  });
});
