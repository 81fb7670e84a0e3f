/** The chain's own scenarios: the happy path (push to production), a red fast test, a second push during an E2E. */
import { readFileSync } from "node:fs";
import { pushDevelop } from "../world";
import { deployProduction, deployStaging, e2eStaging, revision, testSuite, type Chain } from "../hops";
import { BACKEND, currentArtifact, currentManifest, holdsManifest, must, record, releaseDiff } from "./checks";

export async function happy(c: Chain, before: string): Promise<string> {
  const c1 = await pushDevelop(c.git, "feat(api): say hello in the health module", {
    [`${BACKEND}/app/replay_note.py`]: '"""A harmless change the replay pushes to develop."""\nNOTE = "hello"\n',
  });
  const t = await testSuite(c, c1, before);
  must(
    c,
    "happy: Test Suite is green for the pushed commit",
    t.finished.conclusion === "success" && t.run.calls.some((x) => x.fn === "fast-tests" && x.head === c1.sha),
  );
  const d = await deployStaging(c, t.finished);
  must(
    c,
    "happy: Deploy Staging deploys the pushed commit",
    d?.finished.conclusion === "success" &&
      revision(c.staging) === c1.sha &&
      d.run.calls.some((x) => x.fn === "deploy-staging" && x.commit === c1.sha && x.head === c1.sha),
  );
  const e = await e2eStaging(c, { after: d!.finished });
  const e2eCall = e?.run.calls.find((x) => x.fn === "end-to-end");
  must(
    c,
    "happy: E2E Staging tests the commit staging runs, from a checkout of it",
    e?.finished.conclusion === "success" && e2eCall?.commit === c1.sha && e2eCall.head === c1.sha,
  );
  must(c, "happy: E2E writes a passed record for that commit on staging", record(c, c1.sha)?.status === "passed");
  const p = await deployProduction(c, {});
  must(
    c,
    "happy: Deploy Production promotes exactly what staging ran",
    p.finished.conclusion === "success" &&
      revision(c.production) === c1.sha &&
      p.run.calls.some((x) => x.fn === "deploy-production" && x.commit === c1.sha && x.head === c1.sha),
  );
  const green = record(c, c1.sha);
  c.check(
    "happy: production's commit is the one E2E recorded green, which is the one staging runs",
    green?.status === "passed" && green.commit === revision(c.production) && revision(c.staging) === green.commit,
  );
  const diff = await releaseDiff(c.staging, c.production);
  c.say(`  production's release against staging's: ${diff.text}`);
  const manifest = currentManifest(c.staging);
  c.say(
    `  staging's artifact ${currentArtifact(c.staging)} (${manifest.split("\n").filter(Boolean).length} files); production's ${currentArtifact(c.production)}; each live release holds every listed file as listed: staging ${holdsManifest(c.staging, manifest)}, production ${holdsManifest(c.production, manifest)}`,
  );
  c.check(
    "happy: production runs the artifact E2E recorded green, staging's bytes (not a rebuild)",
    !!green?.artifact &&
      currentArtifact(c.production) === green.artifact &&
      currentArtifact(c.staging) === green.artifact &&
      holdsManifest(c.production, manifest) &&
      holdsManifest(c.staging, manifest) &&
      diff.artifact === 0,
  );
  if (c.setup.realDagger) {
    const logs = [t, d!, e!, p].map((h) => readFileSync(h.run.log, "utf8"));
    c.check(
      "happy: every hop ran the real Dagger CLI (its `dagger call` steps, no stand-in banner in any hop's log)",
      [t, d!, e!, p].every((h) => h.run.calls.length > 0) && logs.every((l) => !l.includes("STAND-IN")),
    );
  }
  return c1.sha;
}

/** One hop: a push to develop and its Test Suite, green on that commit (the stand-in's call, or a real dagger's). */
export async function testSuiteOnly(c: Chain, before: string): Promise<string> {
  const c1 = await pushDevelop(c.git, "feat(api): a note for the test-suite hop", {
    [`${BACKEND}/app/replay_note.py`]: 'NOTE = "hello from the test-suite hop"\n',
  });
  const t = await testSuite(c, c1, before);
  const log = readFileSync(t.run.log, "utf8");
  const ran = c.setup.realDagger
    ? log.includes("dagger call fast-tests") && !log.includes("STAND-IN")
    : t.run.calls.some((x) => x.fn === "fast-tests" && x.head === c1.sha);
  c.check("test-suite: Test Suite is green for the pushed commit", t.finished.conclusion === "success" && ran);
  return c1.sha;
}

export async function redFast(c: Chain, before: string): Promise<string> {
  const was = revision(c.staging);
  const c2 = await pushDevelop(c.git, "test(api): a failing fast test", {
    [`${BACKEND}/tests/test_replay_red.py`]:
      'def test_replay_red():\n    assert 1 == 2, "the replay\'s failing fast test"\n',
  });
  const t = await testSuite(c, c2, before);
  c.check("red fast test: Test Suite is red", t.finished.conclusion === "failure");
  const d = await deployStaging(c, t.finished);
  c.check(
    "red fast test: Deploy Staging skips its job, staging unchanged",
    d?.run.jobs.deploy === undefined && d?.run.calls.length === 0 && revision(c.staging) === was,
  );
  return c2.sha;
}

export async function queue(c: Chain, before: string): Promise<string> {
  const c3 = await pushDevelop(c.git, "fix(api): drop the failing test", {
    [`${BACKEND}/tests/test_replay_red.py`]: null,
    [`${BACKEND}/app/replay_note.py`]: 'NOTE = "fixed"\n',
  });
  const d3 = await deployStaging(c, (await testSuite(c, c3, before)).finished);
  const e3 = e2eStaging(c, { after: d3!.finished });
  const c4 = await pushDevelop(c.git, "feat(api): a second note", {
    [`${BACKEND}/app/replay_note.py`]: 'NOTE = "hello again"\n',
  });
  const d4 = await deployStaging(c, (await testSuite(c, c4, c3.sha)).finished);
  const e = await e3;
  c.check(
    "queue: E2E of the first push tested and recorded its own commit",
    record(c, c3.sha)?.status === "passed" && e?.run.calls.find((x) => x.fn === "end-to-end")?.commit === c3.sha,
  );
  c.check("queue: the second push's deploy started only after that E2E finished", !!d4 && !!e && d4.start >= e.end);
  c.check("queue: then staging runs the second push", revision(c.staging) === c4.sha);
  return c4.sha;
}
