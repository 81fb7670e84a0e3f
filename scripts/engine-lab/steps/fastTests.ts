/**
 * fastTests on examples/app twice: cold (lab.sh wiped the engine state: no layers, empty cache volumes) and warm
 * (same engine, the app uploaded again from a fresh copy with one file added, as the next commit would be: the test
 * steps re-run, the installs should come from the cache).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyExample } from "../../../test/support/example";
import type { StepGroup } from "../driver";
import { appSource } from "./sources";

export const fastTestsSteps: StepGroup = {
  name: "fast",
  async steps(ci) {
    const copy = copyExample();
    writeFileSync(join(copy.dir, "engine-lab-run.txt"), new Date().toISOString());
    const summaryLine = (s: string) => s.split("\n").find((l) => /passed|failed/i.test(l)) ?? "";
    const cold = {
      step: "fastTests-cold",
      call: "fastTests(source: examples/app)",
      run: async () => summaryLine(await ci.fastTests(appSource())),
    };
    const warm = {
      step: "fastTests-warm",
      call: "fastTests(source: a copy of examples/app + one new file)",
      run: async () => summaryLine(await ci.fastTests(appSource(copy.dir))),
    };
    return { steps: [cold, warm], stop: async () => copy.remove() };
  },
};
