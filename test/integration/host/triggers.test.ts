import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};
let repo: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, env: ENV, encoding: "utf8" }).trim();
}

function commit(subject: string, files: string[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    writeFileSync(join(repo, f), `${subject}\n`);
  }
  git("add", "-A");
  git("commit", "-q", "-m", subject);
}

/** Run the host runner CLI as a user would. */
function pipeline(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/pipeline.ts"), ...args],
    { cwd: ROOT, env: ENV, encoding: "utf8" },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "triggers-"));
  git("init", "-q", "-b", "main");
  commit("feat: start", ["frontend/package.json", "backend/app/main.py", "README.md"]);
  commit("fix(api): handle empty titles", ["backend/app/main.py"]);
  commit("Update things", ["README.md"]);
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("npm run pipeline -- fast-tests with a diff base", () => {
  it("runs only the backend job when only backend/ changed, and says why frontend is skipped", () => {
    const r = pipeline("fast-tests", "--source", repo, "--base", "HEAD~2", "--head", "HEAD~1", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped frontend: no change under frontend\//);
    const jobs = new Set(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).job),
    );
    expect([...jobs]).toEqual(["backend"]);
  });

  it("skips both jobs in the summary when nothing changed", () => {
    const r = pipeline("fast-tests", "--source", repo, "--base", "HEAD", "--head", "HEAD");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/frontend +SKIPPED .*nothing changed between base and head/);
    expect(r.stdout).toMatch(/backend +SKIPPED .*nothing changed between base and head/);
  });

  it("fails with the fix when the base commit does not exist", () => {
    const r = pipeline("fast-tests", "--source", repo, "--base", "f".repeat(40), "--dry-run");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/base commit "f{40}" is not in the repository.*fetch-depth: 0/);
  });

  it("fails with the fix on a malformed event file", () => {
    const file = join(repo, "..", `event-${Date.now()}.json`);
    writeFileSync(file, "{ not json");
    const r = pipeline("fast-tests", "--source", repo, "--event-file", file, "--dry-run");
    rmSync(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not JSON.*GITHUB_EVENT_PATH/);
  });
});

describe("npm run pipeline -- plan", () => {
  it("prints the develop push plan with the diff it resolved", () => {
    const r = pipeline(
      "plan",
      "--source",
      repo,
      "--event",
      "push",
      "--branch",
      "develop",
      "--base",
      "HEAD~2",
      "--head",
      "HEAD~1",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2\. deploy-staging: automatic; blocked by fast-tests; blocks e2e/);
    expect(r.stdout).toMatch(/skip {2}frontend/);
  });

  it("prints JSON data with --json", () => {
    const r = pipeline(
      "plan",
      "--source",
      repo,
      "--event",
      "pull_request",
      "--branch",
      "feature/x",
      "--changed",
      "README.md",
      "--json",
    );
    expect(JSON.parse(r.stdout)).toMatchObject({
      rule: "feature/*/pull_request",
      skipped: [{ job: "frontend" }, { job: "backend" }],
    });
  });

  it("rejects an unknown event, listing the valid ones", () => {
    const r = pipeline("plan", "--source", repo, "--event", "tag", "--branch", "main");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--event "tag" is not one of: pull_request, push, /);
  });
});

describe("npm run pipeline -- check-commits", () => {
  it("passes conventional subjects", () => {
    const r = pipeline("check-commits", "--source", repo, "--base", "HEAD~2", "--head", "HEAD~1");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 commit\(s\) checked/);
  });

  it("fails listing the offending commit", () => {
    const r = pipeline("check-commits", "--source", repo, "--base", "HEAD~2", "--head", "HEAD");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 of 2 commit\(s\) break/);
    expect(r.stderr).toContain(`${git("rev-parse", "--short=7", "HEAD")}  "Update things"`);
  });
});

describe("a revision that git would read as an option (--upload-pack=<command>)", () => {
  let marker: string;
  let withOrigin: string;
  const sneaky = () => `--upload-pack=touch ${marker};`;
  const event = (payload: object) => {
    const file = join(withOrigin, "..", `event-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(payload));
    return file;
  };

  beforeAll(() => {
    withOrigin = mkdtempSync(join(tmpdir(), "triggers-origin-"));
    marker = join(withOrigin, "..", `${withOrigin.split("/").pop()}-ran`);
    execFileSync("git", ["init", "-q", "--bare", join(withOrigin, "origin.git")], { env: ENV });
    const clone = join(withOrigin, "repo");
    execFileSync("git", ["clone", "-q", join(withOrigin, "origin.git"), clone], { env: ENV, stdio: "ignore" });
    for (const f of ["frontend/package.json", "backend/app/main.py"]) {
      mkdirSync(dirname(join(clone, f)), { recursive: true });
      writeFileSync(join(clone, f), "x\n");
    }
    execFileSync("git", ["add", "-A"], { cwd: clone, env: ENV });
    execFileSync("git", ["commit", "-q", "-m", "feat: start"], { cwd: clone, env: ENV });
    withOrigin = clone;
  });

  afterAll(() => {
    rmSync(join(withOrigin, ".."), { recursive: true, force: true });
    rmSync(marker, { force: true });
  });

  it.each([
    ["plan --base", () => ["plan", "--source", withOrigin, "--base", sneaky(), "--head", "HEAD"]],
    ["plan --head", () => ["plan", "--source", withOrigin, "--base", "HEAD", `--head=${sneaky()}`]],
    ["check-commits --base", () => ["check-commits", "--source", withOrigin, `--base=${sneaky()}`]],
    ["fast-tests --base", () => ["fast-tests", "--source", withOrigin, "--base", sneaky(), "--dry-run"]],
  ])("%s is refused with exit 2 before git runs it", (_, args) => {
    const r = pipeline(...args());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/starts with "-", so git would read it as an option; pass a commit sha or a branch name/);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    [
      "pull_request.base.sha",
      (h: string) => ({ pull_request: { base: { sha: sneaky() }, head: { sha: h, ref: "x" } } }),
    ],
    [
      "pull_request.head.sha",
      (h: string) => ({ pull_request: { base: { sha: h }, head: { sha: sneaky(), ref: "x" } } }),
    ],
    ["push before", (h: string) => ({ ref: "refs/heads/main", before: sneaky(), after: h })],
    ["push after", (h: string) => ({ ref: "refs/heads/main", before: h, after: sneaky() })],
    ["workflow_run.head_sha", () => ({ workflow_run: { head_sha: sneaky(), head_branch: "main" } })],
    [
      "workflow_run's pull request base",
      (h: string) => ({
        workflow_run: { head_sha: h, head_branch: "x", pull_requests: [{ base: { sha: sneaky() } }] },
      }),
    ],
  ])("an event file whose %s is one is refused with exit 2, nothing run", (_, payload) => {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: withOrigin, encoding: "utf8" }).trim();
    const file = event(payload(head));
    const r = pipeline("plan", "--source", withOrigin, "--event-file", file);
    expect(r.stderr).toMatch(/starts with "-", so git would read it as an option/);
    expect(r.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });
});
