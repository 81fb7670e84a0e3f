/** A red E2E, by one runner and by the matrix (a runner per shard, then a merge): informational, never a rollback. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { deployStaging, e2eStaging, revision, testSuite, type Chain } from "../hops";
import { pushDevelop } from "../world";
import { BACKEND, bodies, record, releases, type Posts } from "./checks";

export async function redE2e(c: Chain, before: string, posts: Posts): Promise<string> {
  const from = posts().length;
  const c5 = await pushDevelop(c.git, "test(api): an end-to-end test that fails", {
    [`${BACKEND}/tests/e2e/test_replay_red_e2e.py`]:
      // Marked e2e like the app's own E2E tests: fast-tests deselects it, the E2E stage runs it.
      'import pytest\n\npytestmark = pytest.mark.e2e\n\n\ndef test_replay_red_e2e():\n    assert 1 == 2, "the replay\'s red E2E"\n',
  });
  const d = await deployStaging(c, (await testSuite(c, c5, before)).finished);
  const [sent, logged] = [posts().length, releases(c.staging).length];
  const e = await e2eStaging(c, { after: d!.finished });
  c.check(
    "red E2E: E2E Staging is red (its verdict job fails)",
    e?.finished.conclusion === "failure" && e.run.jobs.verdict === "failure",
  );
  c.check(
    "red E2E: staging is not rolled back",
    revision(c.staging) === c5.sha &&
      !releases(c.staging)
        .slice(logged)
        .some((x) => x.status === "rollback" || x.status === "bad") &&
      !!e?.run.calls.every((x) => !/deploy|rollback/.test(x.fn)),
  );
  c.check(
    "red E2E: the failure is posted to the Slack webhook, naming the commit",
    bodies(posts().slice(sent), "/slack").some((b) => b.includes(c5.sha.slice(0, 7))),
  );
  const warnings = bodies(posts().slice(sent), "/alert-warning");
  c.check(
    "red E2E: exactly one warning alert (e2e-failed, naming the commit) and no critical alert since the push",
    warnings.length === 1 &&
      (JSON.parse(warnings[0]) as { event?: string }).event === "e2e-failed" &&
      warnings[0].includes(c5.sha.slice(0, 7)) &&
      bodies(posts().slice(from), "/alert-critical").length === 0,
  );
  c.check("red E2E: its record says failed", record(c, c5.sha)?.status === "failed");
  return c5.sha;
}

/**
 * The matrix mode on the commit the red E2E left on staging, dispatched by hand with `matrix: true`: four
 * end-to-end-shard jobs upload their blobs to act's artifact server, the merge job downloads them all, merges,
 * records and alerts once; the verdict is red and staging stays.
 */
export async function matrix(c: Chain, sha: string, posts: Posts): Promise<void> {
  const sent = posts().length;
  const e = await e2eStaging(c, { inputs: { matrix: "true", suite: "smoke" } });
  const shards = e?.run.calls.filter((x) => x.fn === "end-to-end-shard") ?? [];
  const merge = e?.run.calls.find((x) => x.fn === "end-to-end-merge");
  c.check(
    "matrix: four end-to-end-shard jobs ran on a checkout of staging's commit, and no single-runner end-to-end",
    shards.length === 4 && shards.every((x) => x.head === sha && x.exit === 0) && e?.run.jobs.e2e === undefined,
  );
  const blobs = e ? artifacts(c.setup.artifactDir, e.id).filter((n) => n.startsWith(`e2e-blob-${e.id}-`)) : [];
  c.check(
    "matrix: each shard's blob went through act's artifact server, and the merge job got all four",
    blobs.length === 4 && e?.run.jobs["e2e-merge"] === "success" && !!merge && merge.exit === 0,
  );
  c.check(
    "matrix: the merge tested and recorded staging's commit: red verdict, record failed, staging kept",
    merge?.commit === sha &&
      merge.head === sha &&
      e?.run.jobs.verdict === "failure" &&
      record(c, sha)?.status === "failed" &&
      revision(c.staging) === sha,
  );
  c.check(
    "matrix: the merge sent exactly one warning alert and no critical one",
    bodies(posts().slice(sent), "/alert-warning").length === 1 &&
      bodies(posts().slice(sent), "/alert-critical").length === 0,
  );
}

/** The artifact names act's artifact server holds for one run (`<dir>/<run id>/<name>/<name>.zip`). */
function artifacts(dir: string, runId: number): string[] {
  const d = join(dir, String(runId));
  return existsSync(d) ? readdirSync(d).filter((n) => existsSync(join(d, n, `${n}.zip`))) : [];
}
