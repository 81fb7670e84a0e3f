import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { E2eInputError } from "../../../ci/src/plan/e2e/stage";
import { promotionRecordOf } from "../../../ci/src/plan/e2e/record";
import type { E2eSummary } from "../../../ci/src/plan/e2e/summary";
import { promotionRecordPath } from "../../../ci/src/plan/deploy/promotion";
import { parseStagingRelease, stagingReleaseScript, type StagingRelease } from "../../../ci/src/plan/e2e/stagingCommit";
import { RemoteError, sshRemote } from "../../deploy/remote";
import { deployEnv, resolveTarget } from "../target";

/**
 * Where the record goes: the staging server (as deploy-production reads it), a local file, or whichever
 * deploy-production would read.
 */
export type RecordMode = "auto" | "local" | "staging";

export function recordMode(s: string | undefined): RecordMode {
  if (s === undefined || s === "auto" || s === "local" || s === "staging") return s ?? "auto";
  throw new E2eInputError(
    `--record ${s} is not a place. Use --record staging (over ssh, STAGING_* settings), --record local (.pipeline/e2e) or leave it out (staging when STAGING_SSH_HOST is set).`,
  );
}

/**
 * Write the promotion record for `commit` where deploy-production looks for it: on staging at
 * `<DEPLOY_BASE>/.dep/e2e/<sha>.json` over ssh when a staging target is configured (or asked
 * for), else `<stateDir>/e2e/<sha>.json`. Returns where it went.
 */
export async function writeRecord(
  s: E2eSummary,
  commit: string,
  report: string,
  o: { stateDir: string; mode: RecordMode; env: NodeJS.ProcessEnv },
): Promise<string> {
  const text = (release?: StagingRelease) =>
    `${JSON.stringify(promotionRecordOf(s, commit, report, new Date(), release), null, 2)}\n`;
  // A local record reads no staging setting: a broken settings file would cost the record (and leave an older one).
  const staging = o.mode === "local" ? {} : { ...deployEnv("staging", o.env) };
  if (o.mode === "staging" || (o.mode === "auto" && staging.STAGING_SSH_HOST)) {
    const t = resolveTarget("staging", staging, { appSecrets: false });
    const remote = sshRemote({ ...t.target, keyFile: t.keyFile, knownHostsFile: t.knownHostsFile, typed: t.typed });
    try {
      const file = join(t.target.basePath, promotionRecordPath(commit));
      // The release staging runs now is the one this run tested (deploy and E2E share one concurrency group).
      const release = parseStagingRelease(
        (await remote.run(stagingReleaseScript(t.target.basePath))).stdout,
        t.target.basePath,
      );
      const put = 'mkdir -p "$(dirname "$1")" && cat > "$1.tmp" && mv -f "$1.tmp" "$1"';
      const r = await remote.run(put, [file], text(release));
      if (r.code !== 0) throw new RemoteError("writing the E2E promotion record", remote.where, r);
      return `${remote.where}:${file}`;
    } finally {
      t.dispose();
    }
  }
  const file = join(o.stateDir, "e2e", `${commit}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text());
  return file;
}
