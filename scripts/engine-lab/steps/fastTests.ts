/**
 * fastTests on examples/app twice: cold (lab.sh wiped the engine state: no layers, empty cache volumes) and warm
 * (same engine, one file added to the source, so the test steps re-run while the installs stay cached).
 */
import type { StepGroup } from "../driver";
import { appSource } from "./sources";

export const fastTestsSteps: StepGroup = {
  name: "fast",
  async steps(ci) {
    const call = (label: string, extra?: string) => ({
      step: `fastTests-${label}`,
      call: `fastTests(source: examples/app${extra ? `, ${extra}` : ""})`,
      async run() {
        let src = appSource();
        if (extra) src = src.withNewFile("engine-lab-run.txt", new Date().toISOString());
        const summary = await ci.fastTests(src);
        return summary.split("\n").find((l) => /passed|failed/i.test(l)) ?? "";
      },
    });
    return { steps: [call("cold"), call("warm", "+ engine-lab-run.txt")], stop: async () => {} };
  },
};
