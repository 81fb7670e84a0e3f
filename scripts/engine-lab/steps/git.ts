/**
 * The functions that run git in a container (ci/src/dagger/git.ts, alpine + `apk add git`): plan and checkCommits on
 * this repository, and fastTests filtered by base..head. The repository is uploaded with its .git, as the decorators'
 * `repo` argument is.
 */
import { execFileSync } from "node:child_process";
import { dag, type Directory } from "@dagger.io/dagger";
import type { LabStep, StepGroup } from "../driver";
import { appSource, ROOT } from "./sources";

const sha = (rev: string) => execFileSync("git", ["rev-parse", rev], { cwd: ROOT, encoding: "utf8" }).trim();
const SECRETS = [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];

/** `repo` as plan/checkCommits/fastTests take it: keeps .git, drops this pipeline's .tools and .pipeline. */
function gitRepo(): Directory {
  const skip = ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".tools", ".pipeline"];
  return dag.host().directory(ROOT, { exclude: [...skip, ...SECRETS] });
}

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
        run: async () => firstLine(await ci.plan("push", "develop", appSource(), gitRepo(), undefined, base, head)),
      },
      {
        step: "checkCommits",
        call: `checkCommits(${range})`,
        run: async () => firstLine(await ci.checkCommits(base, gitRepo(), head)),
      },
      {
        step: "fastTests-base-head",
        call: `fastTests(base..head: ${range}, appPath: examples/app)`,
        run: async () => {
          const summary = await ci.fastTests(appSource(), undefined, gitRepo(), base, head, undefined, "examples/app");
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
