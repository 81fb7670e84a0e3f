/**
 * The functions that run git in a container (ci/src/dagger/git.ts, alpine + `apk add git`): plan and checkCommits on
 * this repository, and fastTests filtered by base..head. The repository is uploaded with its .git, as the decorators'
 * `repo` argument is.
 */
import { execFileSync } from "node:child_process";
import type { LabStep, StepGroup } from "../driver";
import { ROOT } from "./sources";

const sha = (rev: string) => execFileSync("git", ["rev-parse", rev], { cwd: ROOT, encoding: "utf8" }).trim();

const firstLine = (s: string) => s.trim().split("\n")[0];

export const gitSteps: StepGroup = {
  name: "git",
  async steps(ci) {
    const [base, head] = [sha("HEAD~3"), sha("HEAD")];
    const range = `${base.slice(0, 7)}..${head.slice(0, 7)}`;
    const steps: LabStep[] = [
      {
        step: "plan",
        call: `plan(event: push, branch: develop, base..head: ${range})`,
        run: async () => firstLine(await ci.plan("push", "develop", undefined, base, head)),
      },
      {
        step: "checkCommits",
        call: `checkCommits(${range})`,
        run: async () => firstLine(await ci.checkCommits(base, head)),
      },
      {
        step: "fastTests-base-head",
        call: `fastTests(base..head: ${range}, appPath: examples/app)`,
        run: async () => {
          const summary = await ci.fastTests(base, head, undefined, "examples/app");
          return summary
            .split("\n")
            .filter((l) => /frontend|backend/.test(l))
            .join("; ");
        },
      },
    ];
    return { steps, stop: async () => {} };
  },
};
