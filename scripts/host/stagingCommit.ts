/**
 * `npm run pipeline -- staging-commit`: print the full sha staging's current release was built from, alone on stdout,
 * so a workflow job can check out and test exactly that commit (a workflow_run's head_sha is not it).
 */
import { $ } from "zx";
import { commitUnderTest, parseStagingRelease, stagingReleaseArgv } from "../../ci/src/plan/e2e/stagingCommit";
import { StageFailure } from "../../ci/src/plan/errors";
import { sshRemote } from "../deploy/remote";
import { checkSshFiles, deployEnv, resolveTarget } from "./target";

/** Read staging's current release over the pinned ssh and print its commit; exit 2 when staging has none. */
export async function stagingCommitCommand(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t = resolveTarget("staging", deployEnv("staging", env), { appSecrets: false });
  try {
    // A key ssh cannot use is the user's to fix (exit 2), not a connection to check.
    await checkSshFiles(t);
    const where = `${t.target.user}@${t.target.host}:${t.target.basePath}`;
    const [cmd, ...args] = stagingReleaseArgv(t.target, { keyFile: t.keyFile, knownHostsFile: t.knownHostsFile });
    const r = await $({ quiet: true, nothrow: true })`${cmd} ${args}`;
    if (r.exitCode !== 0)
      throw new StageFailure(
        `reading staging's current release at ${where} over ssh failed (exit ${r.exitCode}): ${r.stderr.trim()}. Check the connection: ${sshRemote({ ...t.target, keyFile: t.keyFile, knownHostsFile: t.knownHostsFile, typed: t.typed }).typed("true")}`,
      );
    console.log(commitUnderTest(undefined, parseStagingRelease(r.stdout, t.target.basePath), where));
    return 0;
  } finally {
    t.dispose();
  }
}
