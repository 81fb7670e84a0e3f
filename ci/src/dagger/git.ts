import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { IMAGES } from "../plan/images";
import type { Git } from "../plan/triggers/diffBase";

/** Image with git for diff-base work; alpine keeps the pull small. */
export const GIT_IMAGE = IMAGES.alpine.ref;

/**
 * Run diffBase.ts's git commands in a container holding the repository; fetched history carries over to later calls.
 */
export function gitPort(repo: Directory): Git {
  let c: Container = dag
    .container()
    .from(GIT_IMAGE)
    .withExec(["apk", "add", "--no-cache", "git"])
    .withExec(["git", "config", "--global", "--add", "safe.directory", "*"])
    .withEnvVariable("GIT_TERMINAL_PROMPT", "0")
    .withDirectory("/repo", repo)
    .withWorkdir("/repo");
  return async (args) => {
    const next = c.withExec(["git", ...args], { expect: ReturnType.Any });
    const [code, stdout, stderr] = await Promise.all([next.exitCode(), next.stdout(), next.stderr()]);
    // Only fetches change the repository; keeping the rest out of the chain keeps the graph short.
    if (args[0] === "fetch") c = next;
    return { code, stdout, stderr };
  };
}
