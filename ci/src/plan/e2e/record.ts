import type { E2eSummary } from "./summary";
import type { DeployTarget } from "../deploy/stage";
import { promotionRecordPath, type PromotionRecord } from "../deploy/promotion";
import { pinnedSshArgv } from "../deploy/ssh";
import { NORMALISED_KEY, withNormalisedKey } from "../deploy/sshKey";
import { IMAGES } from "../images";
import type { StagingRelease } from "./stagingCommit";
import { shellQuote } from "../shellQuote";

/**
 * The promotion record deploy-production reads, from a run's summary. With staging's current release (read when the
 * record is written) of the same commit, it names that release and its artifact digest: the bytes production gets.
 * Pure.
 */
export function promotionRecordOf(
  s: E2eSummary,
  commit: string,
  report: string,
  finishedAt: Date,
  staging?: StagingRelease,
): PromotionRecord {
  const backendFailed = s.backend?.failed ?? 0;
  const tested =
    staging?.commit === commit && staging.artifact ? { release: staging.release, artifact: staging.artifact } : {};
  return {
    commit,
    status: s.status,
    suite: s.suite,
    passed: s.passed + (s.backend?.passed ?? 0),
    failed: s.failed + backendFailed,
    flaky: s.flaky,
    finishedAt: finishedAt.toISOString(),
    report,
    ...tested,
  };
}

/**
 * Where the Dagger runner mounts staging's SSH files (the key as given: ssh reads its normalised copy) and the record.
 */
export const RECORD_SSH = {
  key: "/run/e2e/ssh_key",
  knownHosts: "/run/e2e/known_hosts",
  record: "/tmp/promotion-record.json",
} as const;

/** The image that writes the record over ssh (openssh-client is added by `apk`). */
export const SSH_IMAGE = IMAGES.alpine.ref;

/**
 * The command that writes the record to `<DEPLOY_BASE>/.dep/e2e/<sha>.json` on staging, atomically
 * (tmp + mv), ssh pinned to the mounted known_hosts, with the mounted key normalised first. The base path is
 * validated plain characters.
 */
export function recordWriteArgv(t: DeployTarget, commit: string): string[] {
  const file = `${t.basePath}/${promotionRecordPath(commit)}`;
  const remote = `mkdir -p ${file.slice(0, file.lastIndexOf("/"))} && cat > ${file}.tmp && mv -f ${file}.tmp ${file}`;
  const ssh = [
    ...pinnedSshArgv({ keyFile: NORMALISED_KEY, knownHostsFile: RECORD_SSH.knownHosts, port: t.port }),
    "--",
    `${t.user}@${t.host}`,
    remote,
  ];
  const write = `${ssh.map(shellQuote).join(" ")} < ${RECORD_SSH.record}`;
  return withNormalisedKey(RECORD_SSH.key, ["sh", "-c", write]);
}
