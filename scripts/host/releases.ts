/** `rollback --list`: read a target's releases and release log over the pinned ssh, and print them. Changes nothing. */
import { formatReleaseList } from "../../ci/src/plan/deploy/releaseList";
import { StageFailure } from "../../ci/src/plan/errors";
import { parseReleaseState, READ_STATE } from "../deploy/context";
import { sshRemote } from "../deploy/remote";
import { checkSshFiles, deployEnv, resolveTarget } from "./target";

/** Print the releases of `name`, newest first, with current, BAD and the rollback target marked. */
export async function listReleasesCommand(name: "staging" | "production"): Promise<number> {
  // Listing needs no app secret.
  const t = resolveTarget(name, deployEnv(name), { appSecrets: false });
  const remote = sshRemote({ ...t.target, keyFile: t.keyFile, knownHostsFile: t.knownHostsFile, typed: t.typed });
  try {
    // A key ssh cannot use is the user's to fix (exit 2), not a connection to check.
    await checkSshFiles(t);
    const r = await remote.run(`cd "$1" && { ${READ_STATE}; }`, [t.target.basePath]);
    if (r.code !== 0)
      throw new StageFailure(
        `reading the releases at ${remote.where}:${t.target.basePath} failed (exit ${r.code}): ${r.stderr.trim()}. ` +
          `Check the connection: ${remote.typed("true")}`,
      );
    console.log(formatReleaseList(name, parseReleaseState(r.stdout)));
    return 0;
  } finally {
    await remote.close();
    t.dispose();
  }
}
