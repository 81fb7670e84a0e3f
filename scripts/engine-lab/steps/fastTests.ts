/**
 * fastTests on examples/app twice: cold (lab.sh wiped the engine state: no layers, empty cache volumes) and warm
 * (same engine, the app uploaded again from a fresh copy with a file added in frontend/ and backend/, as the next
 * commit would be: lint, typecheck, tests and build re-run, the installs come from the cache).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyExample } from "../../../test/support/example";
import type { StepGroup } from "../driver";
import { appSource, labCi } from "./sources";

export const fastTestsSteps: StepGroup = {
  name: "fast",
  async steps(ci) {
    const copy = copyExample();
    // In each job's directory: a file beside them would leave both jobs' inputs unchanged, and all would be cached.
    for (const d of ["frontend", "backend"]) writeFileSync(join(copy.dir, d, "engine-lab-run.txt"), Date());
    const summaryLine = (s: string) => s.split("\n").find((l) => /passed|failed/i.test(l)) ?? "";
    const cold = {
      step: "fastTests-cold",
      call: "fastTests(source: examples/app)",
      run: async () => summaryLine(await ci.fastTests()),
    };
    const warm = {
      step: "fastTests-warm",
      call: "fastTests(source: a copy of examples/app + a new file in frontend/ and backend/)",
      run: async () => summaryLine(await labCi(appSource(copy.dir)).fastTests()),
    };
    return { steps: [cold, warm], stop: async () => copy.remove() };
  },
};
