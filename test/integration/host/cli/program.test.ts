import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPipeline, type CliResult } from "../../../support/cli";
import { copyExample } from "../../../support/example";

/** Exit 2, one line on stderr matching `line`, and no stack trace: refused before anything ran. */
function refused(r: CliResult, line: RegExp): void {
  expect(r.exitCode, r.output).toBe(2);
  expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr.trim()).toMatch(/^input error: /);
  expect(r.stderr.trim().slice("input error: ".length)).toMatch(line);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

// Each case starts the real CLI (tsx) once or a few times; on a loaded 2-core machine one start takes seconds.
const tmp = mkdtempSync(join(tmpdir(), "cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("each command takes only its own options", { timeout: 120_000 }, () => {
  it("refuses an option of another command, naming it, where it belongs, and the help to read", async () => {
    refused(
      await runPipeline(["deploy-staging", "--shards", "4"]),
      /^deploy-staging has no option --shards \(it is an option of end-to-end\); see: npm run pipeline -- deploy-staging --help$/,
    );
  });

  it("refuses an option no command has, with the nearest one it takes", async () => {
    refused(
      await runPipeline(["fast-tests", "--dry-rn"]),
      /^fast-tests has no option --dry-rn \(did you mean --dry-run\?\)/,
    );
    refused(
      await runPipeline(["plan", "--nope=1"]),
      /^plan has no option --nope; see: npm run pipeline -- plan --help$/,
    );
  });

  it("refuses a command's option given before the command, saying where it goes", async () => {
    refused(
      await runPipeline(["--source", "x", "fast-tests"]),
      /^--source goes after the command it belongs to \(fast-tests, frontend-checks, backend-tests, …\), e\.g\. npm run pipeline -- fast-tests --source …$/,
    );
  });

  it("prints each command's own options with --help, exit 0", async () => {
    const r = await runPipeline(["deploy-staging", "--help"]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run pipeline -- deploy-staging \[options\]/);
    expect(r.stdout).toMatch(/--strategy <name>/);
    expect(r.stdout).not.toMatch(/--shards|--force-reason/);
    expect((await runPipeline(["help", "rollback"])).stdout).toMatch(/--list/);
    const top = await runPipeline(["--help"]);
    for (const name of [
      "fast-tests",
      "plan",
      "check-commits",
      "init",
      "end-to-end-shard",
      "staging-server",
      "rollback",
    ])
      expect(top.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });

  it("refuses an unknown command with the nearest name", async () => {
    refused(
      await runPipeline(["fast-test"]),
      /^unknown command "fast-test" \(did you mean fast-tests\?\); list the commands/,
    );
  });
});

describe("enumerations are exact", { timeout: 120_000 }, () => {
  it("refuses rollback --target prodution, listing the allowed values, before reading any setting", async () => {
    refused(
      await runPipeline(["rollback", "--target", "prodution"], { ...process.env, STAGING_SSH_HOST: "" }),
      /^--target "prodution" is not one of: staging, production; did you mean --target production\?$/,
    );
  });

  it.each([
    ["deploy-staging", "--strategy", "blue-green", /not one of: bluegreen, canary/],
    ["end-to-end", "--suite", "Smoke", /not one of: full, smoke; did you mean --suite smoke\?/],
    ["end-to-end", "--record", "remote", /not one of: auto, local, staging/],
    ["plan", "--event", "pull-request", /not one of: pull_request, push, .*did you mean --event pull_request\?/],
    ["end-to-end", "--base-url", "staging.example.com", /^--base-url "staging\.example\.com" is not an http\(s\) URL/],
    [
      "deploy-production",
      "--force-reason",
      "  ",
      /^--force-reason " {2}" is empty; say why: --force-reason "hotfix for INC-123"$/,
    ],
    [
      "end-to-end-shard",
      "--commit",
      "abc",
      /^end-to-end-shard has no option --commit \(it is an option of end-to-end, /,
    ],
  ])("refuses %s %s %s", async (cmd, flag, value, line) => {
    refused(await runPipeline([cmd, flag, value]), line);
  });

  it("refuses staging-server with no or an unknown action", async () => {
    refused(
      await runPipeline(["staging-server"]),
      /^missing required argument 'action'; see: .*staging-server --help$/,
    );
    refused(
      await runPipeline(["staging-server", "restart"]),
      /^staging-server "restart" is not one of: start, stop, status/,
    );
  });
});

describe("numbers are bounded, with the bound in the message", { timeout: 120_000 }, () => {
  it.each(["0", "1e9", "abc", "65", "-1", ""])("refuses --shards %j", async (n) => {
    refused(
      await runPipeline(["end-to-end", `--shards=${n}`]),
      /--shards .* is not a whole number from 1 to 64\. Run e\.g\. `npm run pipeline -- end-to-end --shards 4`/,
    );
  });

  it.each([
    ["end-to-end-shard", "--index", "0", /^--index "0" is not a whole number from 1 to 64/],
    ["end-to-end-merge", "--total", "1e3", /^--total "1e3" is not a whole number from 1 to 64/],
    ["deploy-staging", "--keep", "100000", /^--keep "100000" is not a whole number from 1 to 50/],
    ["end-to-end", "--ready-attempts", "1e6", /^--ready-attempts "1e6" is not a whole number from 1 to 360/],
    ["end-to-end", "--ready-interval", "-1", /^--ready-interval "-1" is not seconds from 0 to 60/],
  ])("refuses %s %s %s", async (cmd, flag, value, line) => {
    refused(await runPipeline([cmd, `${flag}=${value}`]), line);
  });
});

describe(
  "paths: files are files, folders are folders, and the config stays inside the repository",
  { timeout: 120_000 },
  () => {
    it("refuses --config naming a folder or a file that is not there", async () => {
      mkdirSync(join(tmp, "conf.d"), { recursive: true });
      refused(
        await runPipeline(["fast-tests", "--source", tmp, "--config", "conf.d"]),
        /^--config conf\.d is a directory/,
      );
      refused(
        await runPipeline(["fast-tests", "--source", tmp, "--config", "nope.yaml"]),
        /^--config nope\.yaml does not exist in .*; pass a file inside --source$/,
      );
    });

    it("refuses --event-file naming a folder or a missing file", async () => {
      refused(
        await runPipeline(["fast-tests", "--event-file", tmp]),
        /^--event-file .* is a directory; pass the path of a file/,
      );
      refused(
        await runPipeline(["plan", "--event-file", join(tmp, "event.json")]),
        /^--event-file .*event\.json does not exist/,
      );
    });

    it("refuses a place to write that is already the other kind (a file for a folder, a folder for a file)", async () => {
      writeFileSync(join(tmp, "a-file"), "x");
      refused(
        await runPipeline(["metrics", "--html", tmp]),
        /^--html .* is a directory, and the command writes a file there; pass another path$/,
      );
      refused(
        await runPipeline(["fast-tests", "--report-dir", join(tmp, "a-file")]),
        /^--report-dir .*a-file is a file, and the command writes a directory there/,
      );
    });

    it("refuses a stray argument", async () => {
      refused(await runPipeline(["fast-tests", "frontend"]), /^too many arguments for 'fast-tests'.*; see: .*--help$/);
    });

    it("refuses init --source naming a missing folder", async () => {
      refused(await runPipeline(["init", "--source", join(tmp, "missing")]), /^--source .*missing does not exist/);
    });

    it("does not read a pipeline.yaml that links outside the repository", async () => {
      const copy = copyExample();
      try {
        writeFileSync(join(tmp, "outside.yaml"), "e2e:\n  shards: 2\n");
        symlinkSync(join(tmp, "outside.yaml"), join(copy.dir, "pipeline.yaml"));
        refused(
          await runPipeline(["plan", "--source", copy.dir, "--event", "push", "--branch", "develop"]),
          /^--config pipeline\.yaml resolves to .*outside\.yaml, outside --source .*; pass a file inside the repository$/,
        );
      } finally {
        copy.remove();
      }
    });
  },
);

describe("init on a folder with no app in it", { timeout: 120_000 }, () => {
  it("refuses with exit 2 saying what it looked for, and writes nothing", async () => {
    const empty = join(tmp, "empty");
    mkdirSync(empty);
    refused(
      await runPipeline(["init", "--source", empty]),
      /^init found no app in .*empty: it looked for a package\.json that depends on next .* and a pyproject\.toml/,
    );
    expect(existsSync(join(empty, "pipeline.yaml"))).toBe(false);
  });
});

describe("init on a repository whose pipeline.yaml is a link", { timeout: 120_000 }, () => {
  it("refuses to write through it, even --force and even when it dangles", async () => {
    const repo = join(tmp, "linked");
    mkdirSync(repo);
    writeFileSync(join(repo, "package.json"), '{"dependencies":{"next":"16.0.0"},"scripts":{"build":"next build"}}');
    const victim = join(tmp, "victim.txt");
    symlinkSync(victim, join(repo, "pipeline.yaml"));
    refused(
      await runPipeline(["init", "--source", repo, "--force"]),
      /^.*linked\/pipeline\.yaml is a symbolic link \(to .*victim\.txt\); init writes a regular file: remove the link/,
    );
    expect(existsSync(victim)).toBe(false);
  });
});

describe("check-commits", { timeout: 120_000 }, () => {
  it("shows a subject's escape sequences as text, never sends them to the terminal", async () => {
    const repo = join(tmp, "repo");
    mkdirSync(repo);
    const git = (...a: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...a], { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    git("commit", "-q", "--allow-empty", "-m", "chore: start");
    git("commit", "-q", "--allow-empty", "-m", "oops \x1b[2J\x1b]0;pwned\x07 \x1b[31mred\x9b");
    const r = await runPipeline(["check-commits", "--source", repo, "--base", "HEAD~1"]);
    expect(r.exitCode, r.output).toBe(1);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(r.output).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stderr).toContain(String.raw`"oops \x1b[2J\x1b]0;pwned\x07 \x1b[31mred\x9b"`);
  });
});

describe("metrics --release-log", { timeout: 120_000 }, () => {
  /**
   * The flag is repeatable (staging's log and production's): the same file given twice, as typed or through a link,
   * was read twice, and a 2026-12-06 hostile run's metrics counted each rollback two or three times ("rollback count
   * 18", for 6).
   */
  it("refuses the same release log given twice, as typed or through a link, naming both", async () => {
    const log = join(tmp, "releases.jsonl");
    writeFileSync(log, "");
    symlinkSync(log, join(tmp, "releases-link.jsonl"));
    refused(
      await runPipeline(["metrics", "--release-log", log, "--release-log", log]),
      /^--release-log .*releases\.jsonl is given twice \(the same file as --release-log .*releases\.jsonl\); pass each release log once$/,
    );
    refused(
      await runPipeline(["metrics", "--release-log", log, "--release-log", join(tmp, "releases-link.jsonl")]),
      /^--release-log .*releases-link\.jsonl is given twice \(the same file as --release-log .*releases\.jsonl\)/,
    );
  });
});
