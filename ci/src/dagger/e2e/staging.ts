/**
 * E2E and staging over the pinned ssh: which commit staging runs (the one the run tests and records), and the
 * promotion record written there. The key is mounted as given and normalised into a tmpfs by the same exec as ssh.
 */
import { dag, ReturnType, type Container, type Secret } from "@dagger.io/dagger";
import { StageFailure } from "../../plan/errors";
import { validateTarget, type DeployTarget } from "../../plan/deploy/stage";
import { NORMALISED_KEY, SSH_KEY_TMPFS, withNormalisedKey } from "../../plan/deploy/sshKey";
import { E2eInputError } from "../../plan/e2e/stage";
import { promotionRecordOf, RECORD_SSH, recordWriteArgv, SSH_IMAGE } from "../../plan/e2e/record";
import {
  commitUnderTest,
  parseStagingRelease,
  stagingReleaseArgv,
  type StagingRelease,
} from "../../plan/e2e/stagingCommit";
import type { E2eSummary } from "../../plan/e2e/summary";
import { isExecError } from "../execError";
import { withRunId } from "../runId";

/** Staging's ssh endpoint and secrets, for reading its release and writing the record. */
export interface E2eStaging {
  target: DeployTarget;
  sshKey: Secret;
  knownHosts: Secret;
}

/** Staging could not be read over ssh: says what ssh said and the command to check the connection. */
export class StagingReadError extends StageFailure {
  constructor(where: string, exitCode: number, stderr: string) {
    super(
      `reading staging's current release at ${where} over ssh failed (exit ${exitCode}): ${stderr.trim().split("\n").slice(-3).join(" ")}. Check the connection: ssh -p <port> ${where.split(":")[0]} true (with the same key and known_hosts)`,
    );
  }
}

/** The staging target for the record, or undefined without --staging-host; half a target is an input error. */
export function e2eStaging(a: {
  host?: string;
  user: string;
  basePath?: string;
  port: number;
  sshKey?: Secret;
  knownHosts?: Secret;
  commit?: string;
}): E2eStaging | undefined {
  if (!a.host) return undefined;
  if (!a.basePath || !a.sshKey || !a.knownHosts) {
    throw new E2eInputError(
      "--staging-host needs --staging-base-path, --staging-ssh-key and --staging-known-hosts to read the commit staging runs and write the promotion record there",
    );
  }
  return {
    target: validateTarget({ name: "staging", host: a.host, user: a.user, port: a.port, basePath: a.basePath }),
    sshKey: a.sshKey,
    knownHosts: a.knownHosts,
  };
}

/** The commit to test: what staging runs (a different --commit is an input error); `given` without staging. */
export async function resolveCommit(
  staging: E2eStaging | undefined,
  given: string | undefined,
  runId: string,
): Promise<string | undefined> {
  if (!staging) return given;
  const t = staging.target;
  return commitUnderTest(given, await readStagingRelease(staging, runId), `${t.user}@${t.host}:${t.basePath}`);
}

/** Staging's current release over the pinned ssh: its id, commit and artifact digest; undefined when it has none. */
async function readStagingRelease(staging: E2eStaging, runId: string): Promise<StagingRelease | undefined> {
  const t = staging.target;
  const where = `${t.user}@${t.host}:${t.basePath}`;
  const argv = stagingReleaseArgv(t, { keyFile: NORMALISED_KEY, knownHostsFile: RECORD_SSH.knownHosts });
  try {
    const out = await withRunId(sshContainer(staging), runId)
      .withExec(withNormalisedKey(RECORD_SSH.key, argv))
      .stdout();
    return parseStagingRelease(out, t.basePath);
  } catch (e) {
    if (isExecError(e)) throw new StagingReadError(where, e.exitCode, e.stderr);
    throw e;
  }
}

/** The commit staging's current release was built from, for a workflow to check out and test. */
export async function stagingCommitOf(staging: E2eStaging | undefined, runId: string): Promise<string> {
  if (!staging) throw new E2eInputError("staging-commit needs --staging-host: the server whose release to read");
  return (await resolveCommit(staging, undefined, runId))!;
}

/** Write the record to staging's `.dep/e2e/<sha>.json`; a failure is a warning (production then stays refused). */
export async function writeStagingRecord(
  s: E2eSummary,
  staging: E2eStaging | undefined,
  commit: string | undefined,
  runId: string,
): Promise<string[]> {
  if (!staging || !commit) return [];
  // The release staging runs now is the one this run tested (deploy and E2E share one concurrency group).
  const release = await readStagingRelease(staging, `${runId}-record`).catch(() => undefined);
  const record = promotionRecordOf(s, commit, "the end-to-end Directory's html/index.html", new Date(), release);
  const code = await withRunId(
    sshContainer(staging).withNewFile(RECORD_SSH.record, `${JSON.stringify(record, null, 2)}\n`),
    runId,
  )
    .withExec(recordWriteArgv(staging.target, commit), { expect: ReturnType.Any })
    .exitCode()
    .catch((e: unknown) => (isExecError(e) ? e.exitCode : Promise.reject(e)));
  const t = staging.target;
  const where = `${t.user}@${t.host}:${t.basePath}/.dep/e2e/${commit}.json`;
  return code === 0
    ? []
    : [
        `warning: the promotion record was not written to ${where} (ssh exit ${code}); deploy-production will refuse ${commit}`,
      ];
}

/** ssh in alpine: the key (as given) and known_hosts mounted 0600, a tmpfs for the normalised key. */
function sshContainer(s: E2eStaging): Container {
  return dag
    .container()
    .from(SSH_IMAGE)
    .withExec(["apk", "add", "--no-cache", "openssh-client"])
    .withMountedSecret(RECORD_SSH.key, s.sshKey, { mode: 0o600 })
    .withMountedSecret(RECORD_SSH.knownHosts, s.knownHosts, { mode: 0o600 })
    .withMountedTemp(SSH_KEY_TMPFS);
}
