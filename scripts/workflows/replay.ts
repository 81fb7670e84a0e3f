/**
 * `npm run workflows`: the workflow chain replayed under nektos/act against two loopback servers (staging and
 * production). Happy path, then the red paths; each hop prints its event, commit and result, and the checks at the end
 * decide the exit code. `--only happy,red-fast,no-record,queue,red-e2e` runs a subset, in that order.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { $ } from "zx";
import { ACT } from "./act";
import { deployProduction, deployStaging, e2eStaging, revision, testSuite, type Chain } from "./hops";
import { Groups } from "./groups";
import { makeGit, pushDevelop, startReceiver, startServers, stopServers, writeSecrets } from "./world";

const ROOT = resolve(import.meta.dirname, "../..");
const CACHE =
  process.env.ACT_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? "/root", ".cache"), "pipeline-act");
const record = (c: Chain, sha: string) => {
  const f = join(c.staging.base, ".dep/e2e", `${sha}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { commit: string; status: string }) : undefined;
};
const BACKEND = "examples/app/backend";

/** A hop of the happy path that did not do its part: the rest of the chain cannot run on it. */
class Halt extends Error {}
function must(c: Chain, what: string, ok: boolean): void {
  c.check(what, ok);
  if (!ok) throw new Halt(what);
}

async function happy(c: Chain, before: string): Promise<string> {
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
  const e = await e2eStaging(c, d!.finished);
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
  return c1.sha;
}

async function redFast(c: Chain, before: string): Promise<string> {
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

async function noRecord(c: Chain, sha: string): Promise<void> {
  const before = revision(c.production);
  const p = await deployProduction(c, { commit: sha });
  const log = readFileSync(p.run.log, "utf8");
  c.check(
    "no record: Deploy Production refuses a commit without an E2E record, naming the fix",
    p.finished.conclusion === "failure" &&
      /no E2E record for commit/.test(log) &&
      /--force-reason/.test(log) &&
      revision(c.production) === before,
  );
}

async function queue(c: Chain, before: string): Promise<string> {
  const c3 = await pushDevelop(c.git, "fix(api): drop the failing test", {
    [`${BACKEND}/tests/test_replay_red.py`]: null,
    [`${BACKEND}/app/replay_note.py`]: 'NOTE = "fixed"\n',
  });
  const d3 = await deployStaging(c, (await testSuite(c, c3, before)).finished);
  const e3 = e2eStaging(c, d3!.finished);
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

type Posts = () => { path: string; body: string }[];
const bodies = (posts: { path: string; body: string }[], path: string) =>
  posts.filter((p) => p.path === path).map((p) => p.body);

async function redE2e(c: Chain, before: string, posts: Posts): Promise<void> {
  const from = posts().length;
  const c5 = await pushDevelop(c.git, "test(api): an end-to-end test that fails", {
    [`${BACKEND}/tests/e2e/test_replay_red_e2e.py`]:
      // Marked e2e like the app's own E2E tests: fast-tests deselects it, the E2E stage runs it.
      'import pytest\n\npytestmark = pytest.mark.e2e\n\n\ndef test_replay_red_e2e():\n    assert 1 == 2, "the replay\'s red E2E"\n',
  });
  const d = await deployStaging(c, (await testSuite(c, c5, before)).finished);
  const sent = posts().length;
  const e = await e2eStaging(c, d!.finished);
  c.check(
    "red E2E: E2E Staging is red (its verdict job fails)",
    e?.finished.conclusion === "failure" && e.run.jobs.verdict === "failure",
  );
  c.check(
    "red E2E: staging is not rolled back",
    revision(c.staging) === c5.sha &&
      !/"status":"rollback"/.test(
        readFileSync(join(c.staging.base, ".dep/releases.jsonl"), "utf8").split("\n").slice(-3).join(""),
      ),
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
}

async function main(): Promise<number> {
  const only = process.argv.includes("--only")
    ? process.argv[process.argv.indexOf("--only") + 1].split(",")
    : undefined;
  const want = (s: string) => !only || only.includes(s);
  if (!existsSync(ACT)) await $({ stdio: "inherit" })`bash ${join(ROOT, "scripts/workflows/setup.sh")}`;
  const root = mkdtempSync(join(tmpdir(), "workflows-"));
  const results: [string, boolean][] = [];
  const say = (s: string) => console.log(s);
  console.log(
    `#### workflow replay under nektos/act (${(await $({ quiet: true })`${ACT} --version`).stdout.trim()}), in ${root}`,
  );
  console.log(
    "#### the `dagger` that runs is the STAND-IN scripts/workflows/bin/dagger: every `dagger call` is forwarded to",
  );
  console.log(
    "#### the host runner (npm run pipeline -- ...) of the job's checkout. NOT the Dagger CLI, NO engine, NO module mode.",
  );
  const receiver = await startReceiver();
  const servers: Parameters<typeof stopServers>[0] = {};
  try {
    Object.assign(servers, await startServers(root));
    const git = await makeGit(root, ROOT);
    const secretFile = join(root, "secrets.env");
    writeSecrets(secretFile, servers.staging!, servers.production!, receiver);
    mkdirSync(join(root, "artifacts"));
    const c: Chain = {
      setup: {
        actionsDir: join(CACHE, "actions"),
        secretFile,
        artifactDir: join(root, "artifacts"),
        gitConfig: git.gitConfig,
        logDir: join(root, "logs"),
      },
      git,
      staging: servers.staging!,
      production: servers.production!,
      groups: new Groups(say),
      say,
      check: (what, ok) => (results.push([what, ok]), say(`  ${ok ? "✔" : "✘"} ${what}`)),
    };
    let head = (await $({ quiet: true, cwd: git.dev })`git rev-parse HEAD`).stdout.trim();
    if (want("happy")) head = await happy(c, head);
    if (want("red-fast") || want("no-record")) {
      const red = await redFast(c, head);
      if (want("no-record")) await noRecord(c, red);
      head = red;
    }
    if (want("queue")) head = await queue(c, head);
    if (want("red-e2e")) await redE2e(c, head, () => receiver.posts);
  } catch (e) {
    if (!(e instanceof Halt)) throw e;
    say(`#### the chain stops: ${e.message} failed`);
  } finally {
    receiver.close();
    await stopServers(servers);
  }
  console.log(
    `\n#### ${results.filter(([, ok]) => ok).length}/${results.length} checks passed (stand-in dagger, not the Dagger CLI)`,
  );
  for (const [what, ok] of results) console.log(`${ok ? "✔" : "✘"} ${what}`);
  console.log(`logs, events and stand-in calls: ${join(root, "logs")}`);
  return results.every(([, ok]) => ok) && results.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => (console.error(e), process.exit(1)),
);
