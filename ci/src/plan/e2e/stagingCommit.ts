/**
 * The commit E2E Staging tests is the one staging runs: in a workflow_run chain, github.sha is the default branch's
 * HEAD, not the deployed commit. Staging's current release says it: `current/REVISION`, written into every release
 * by the build, else the release log's entry for the current release id. Pure: the remote command and its parsing.
 */
import { InputError } from "../errors";
import { isReleaseId } from "../deploy/releaseId";
import { parseReleaseLog } from "../deploy/releaseLog";
import type { DeployTarget } from "../deploy/stage";
import { pinnedSshArgv, type PinnedSsh } from "../deploy/ssh";
import { LAYOUT_SCRIPT, layoutProblem, parseLayout } from "../deploy/serverInfo";
import { shellQuote } from "../shellQuote";

/** Staging's current release, the commit it was built from, and its artifact digest (when it has a MANIFEST). */
export interface StagingRelease {
  release: string;
  commit: string;
  artifact?: string;
}

/** A commit that is not what staging runs, or a staging with no release to test. */
export class StagingCommitError extends InputError {
  constructor(message: string) {
    super(message);
  }
}

const SEP = "@@";

/** What stagingReleaseScript reads at most: a REVISION (a sha), the log's newest part, a MANIFEST to hash. */
const READ_BOUNDS = { revision: 4096, log: 1024 * 1024, manifest: 64 * 1024 * 1024 };

/**
 * The remote script that prints the base's layout (the deploy's server check, LAYOUT_SCRIPT), `current`'s target, its
 * REVISION, the release log's newest MiB and the sha256 of its MANIFEST. Only regular files, each read bounded (the
 * app may write its release on a real server: a FIFO or a huge sparse file must not hang or flood the read). Run by
 * bash whatever the login shell (base path: validated plain).
 */
export function stagingReleaseScript(basePath: string): string {
  const b = READ_BOUNDS;
  const script =
    `{ ${LAYOUT_SCRIPT}\necho ${SEP}; readlink current; echo ${SEP}; ` +
    `if [ -f current/REVISION ]; then head -c ${b.revision} current/REVISION; fi; echo ${SEP}; ` +
    `if [ -f .dep/releases.jsonl ]; then tail -c ${b.log} .dep/releases.jsonl; fi; echo ${SEP}; ` +
    `if [ -f current/MANIFEST ] && [ "$(stat -c %s current/MANIFEST)" -le ${b.manifest} ]; then sha256sum current/MANIFEST; fi; } 2>/dev/null; true`;
  return `cd ${basePath} && bash -c ${shellQuote(script)}`;
}

/** The ssh command that runs stagingReleaseScript on staging. */
export function stagingReleaseArgv(t: DeployTarget, ssh: Omit<PinnedSsh, "port">): string[] {
  return [...pinnedSshArgv({ ...ssh, port: t.port }), "--", `${t.user}@${t.host}`, stagingReleaseScript(t.basePath)];
}

/**
 * Read the remote command's output; undefined when staging has no current release or no commit for it. A `current`
 * or release log the deploy would refuse (a link out of releases/, a FIFO) is refused the same way, with its fix.
 */
export function parseStagingRelease(out: string, basePath: string): StagingRelease | undefined {
  const [layout = "", link = "", revision = "", log = "", manifest = ""] = out.split(`${SEP}\n`);
  const { current, ".dep/releases.jsonl": releaseLog } = parseLayout(layout);
  const bad = layoutProblem({ current, ".dep/releases.jsonl": releaseLog }, basePath);
  if (bad)
    throw new StagingCommitError(
      `staging's ${bad.problem}, so the release it runs is not known. Fix it on staging: ${bad.fix}`,
    );
  const release = link.trim().replace(/\/+$/, "").split("/").pop() ?? "";
  if (!isReleaseId(release)) return undefined;
  const sum = /^([0-9a-f]{64})\s/.exec(manifest)?.[1];
  const artifact = sum ? { artifact: `sha256:${sum}` } : {};
  const fromFile = revision.trim();
  if (/^[0-9a-f]{40}$/.test(fromFile)) return { release, commit: fromFile, ...artifact };
  const logged = parseReleaseLog(log)
    .filter((e) => e.id === release && /^[0-9a-f]{40}$/.test(e.commit))
    .at(-1);
  return logged ? { release, commit: logged.commit, ...artifact } : undefined;
}

/** The commit to test and record: staging's; a given commit must be the same, else StagingCommitError. */
export function commitUnderTest(given: string | undefined, staging: StagingRelease | undefined, where: string): string {
  if (!staging)
    throw new StagingCommitError(
      `staging (${where}) has no current release with a known commit, so there is nothing to test. Deploy first: dagger call deploy-staging ... --commit <sha>`,
    );
  if (given !== undefined && given !== staging.commit)
    throw new StagingCommitError(
      `--commit ${given} is not what staging runs: staging runs ${staging.commit} (release ${staging.release} at ${where}). Leave --commit out to test what staging runs, or deploy ${given.slice(0, 7)} first.`,
    );
  return staging.commit;
}
