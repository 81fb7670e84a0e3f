import { spawnSync, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BadCommitsError } from "../../ci/src/plan/triggers/commits";
import { callCi, type CiFunction } from "../support/ciCall";
import { PlanFormat } from "../../ci/src/index";
import { EXAMPLE } from "../support/e2eRecording";
import { containerCalls, startRecorder, type Chain, type Recording } from "../support/recorder";
import { syncedContainers } from "../support/graph";

type Dag = typeof import("@dagger.io/dagger").dag;

/** A git repository holding the app under examples/app: an init commit, a good backend change, a badly named one. */
function repository(): { dir: string; shas: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "repo-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  git("init", "-q", "-b", "main");
  write("examples/app/frontend/app/page.tsx", "export default 1;\n");
  write("examples/app/backend/app/main.py", "x = 1\n");
  git("add", "-A");
  git("commit", "-q", "-m", "chore: init");
  write("examples/app/backend/app/main.py", "x = 2\n");
  git("commit", "-q", "-am", "feat(api): count books");
  write("examples/app/backend/app/main.py", "x = 3\n");
  git("commit", "-q", "-am", "wip stuff");
  return { dir, shas: git("rev-list", "--reverse", "HEAD").trim().split("\n") };
}

/** The git exec a chain ends with, in the git container (the repository mounted at /repo), else undefined. */
function gitArgs(chain: Chain): string[] | undefined {
  const calls = containerCalls(chain);
  if (!calls.some((c) => c.field === "withDirectory" && c.args.path === "/repo")) return undefined;
  const last = calls.filter((c) => c.field === "withExec").at(-1)?.args.args as string[] | undefined;
  return last?.[0] === "git" ? last.slice(1) : undefined;
}

/** Record a call whose git execs are answered by real git in `repo`, as the engine's container would. */
async function recordWithGit(repo: string, name: CiFunction, args: (dag: Dag) => Record<string, unknown>) {
  const rec: Recording = await startRecorder({
    answer: (field, chain) => {
      const g = ["exitCode", "stdout", "stderr"].includes(field) ? gitArgs(chain) : undefined;
      if (!g) return undefined;
      const r = spawnSync("git", g, { cwd: repo, encoding: "utf8" });
      return field === "exitCode" ? r.status : field === "stdout" ? r.stdout : r.stderr;
    },
  });
  const saved = { ...process.env };
  Object.assign(process.env, rec.env);
  let outcome: Promise<unknown> = Promise.resolve();
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    await connection(async () => {
      outcome = callCi(name, args(dag));
      await outcome.catch(() => undefined);
    });
  } finally {
    process.env = saved;
    await rec.close();
  }
  return { rec, outcome };
}

/**
 * The trigger functions on the Dagger path, where git runs in a container: the recorder answers each git exec with
 * what real git prints in a real repository, so the diff base, the changed paths and the commit list are real.
 */
describe("fast-tests --event-file, plan and check-commits (recorded GraphQL requests, real git answers)", () => {
  let repo: { dir: string; shas: string[] };
  let eventDir: string;
  beforeAll(() => {
    repo = repository();
    eventDir = mkdtempSync(join(tmpdir(), "event-"));
    const [init, good] = repo.shas;
    const push = { ref: "refs/heads/develop", before: init, after: good, repository: { default_branch: "main" } };
    writeFileSync(join(eventDir, "event.json"), JSON.stringify(push));
  });

  it("fast-tests --event-file runs only the backend job a push touched, and says why the frontend is skipped", async () => {
    const r = await recordWithGit(repo.dir, "fastTests", (dag) => ({
      source: dag.host().directory(EXAMPLE),
      config: "pipeline.yaml",
      repo: dag.host().directory(repo.dir),
      eventFile: dag.host().file(join(eventDir, "event.json")),
    }));
    const summary = (await r.outcome) as string;
    expect(summary).toMatch(/frontend\s+SKIPPED/);
    expect(summary).toMatch(/backend\s+PASSED/);
    const jobs = syncedContainers(r.rec.chains).filter((c) => !c.some((x) => x.args.path === "/repo"));
    // One image: the backend's install and pytest chains.
    const ran = [...new Set(jobs.map((c) => c.find((x) => x.field === "from")?.args.address))];
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatch(/^ghcr\.io\/astral-sh\/uv:/);
    const gits = r.rec.chains.map(gitArgs).filter((g): g is string[] => !!g && g[0] === "diff");
    expect(gits[0]).toEqual(["diff", "--name-only", "--no-renames", "-z", repo.shas[0], repo.shas[1]]);
  }, 60_000);

  it("fast-tests --event-file of a pull request mounts cache volumes of its own, never the shared ones", async () => {
    const [init, good] = repo.shas;
    const pr = { number: 17, pull_request: { base: { sha: init, ref: "main" }, head: { sha: good, ref: "fork/x" } } };
    writeFileSync(join(eventDir, "pr.json"), JSON.stringify(pr));
    const r = await recordWithGit(repo.dir, "fastTests", (dag) => ({
      source: dag.host().directory(EXAMPLE),
      config: "pipeline.yaml",
      repo: dag.host().directory(repo.dir),
      eventFile: dag.host().file(join(eventDir, "pr.json")),
    }));
    const summary = (await r.outcome) as string;
    expect(summary).toMatch(/^caches: pr-17's own/m);
    const keys = r.rec.chains.flatMap((chain) =>
      containerCalls(chain)
        .filter((c) => c.field === "withMountedCache")
        .map((c) => (c.args.cache as Chain).find((x) => x.field === "cacheVolume")?.args.key),
    );
    expect(keys.length).toBeGreaterThan(0);
    expect(keys).toContain("autoauthor-uv-pr-17");
    expect(keys.filter((k) => !String(k).endsWith("-pr-17"))).toEqual([]);
  }, 60_000);

  it("plan --base --head names the changed path and the job path filtering skips", async () => {
    const r = await recordWithGit(repo.dir, "plan", (dag) => ({
      event: "push",
      branch: "develop",
      source: dag.host().directory(EXAMPLE),
      repo: dag.host().directory(repo.dir),
      base: repo.shas[0],
      head: repo.shas[1],
      format: PlanFormat.Json,
    }));
    const plan = JSON.parse((await r.outcome) as string);
    expect(plan.diff).toEqual({
      base: repo.shas[0],
      head: repo.shas[1],
      how: "given base",
      changedPaths: ["examples/app/backend/app/main.py"],
    });
    expect(plan.skipped).toEqual([
      { stage: "fast-tests", job: "frontend", reason: "no change under examples/app/frontend/ (1 changed path(s))" },
    ]);
  }, 60_000);

  it("check-commits passes a range of Conventional Commit subjects", async () => {
    const r = await recordWithGit(repo.dir, "checkCommits", (dag) => ({
      base: repo.shas[0],
      head: repo.shas[1],
      repo: dag.host().directory(repo.dir),
    }));
    expect(await r.outcome).toMatch(/1 commit/);
  }, 60_000);

  it("check-commits fails on a subject that is not a Conventional Commit, naming it", async () => {
    const r = await recordWithGit(repo.dir, "checkCommits", (dag) => ({
      base: repo.shas[0],
      head: repo.shas[2],
      repo: dag.host().directory(repo.dir),
    }));
    await expect(r.outcome).rejects.toThrow(BadCommitsError);
    await expect(r.outcome).rejects.toThrow(/wip stuff/);
  }, 60_000);
});
