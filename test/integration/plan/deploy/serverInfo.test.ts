import { spawnSync } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  LAYOUT_SCRIPT,
  layoutProblem,
  parseLayout,
  parseServerInfo,
  SERVER_INFO_MAX_BYTES,
  SERVER_INFO_SCRIPT,
} from "../../../../ci/src/plan/deploy/serverInfo";

const ID = "20261206T000300Z-ddddddd";

/**
 * LAYOUT_SCRIPT on real bash in a temp base, with `current` pointing where a hand edit can leave it. The deploy and the
 * rollback take current's last path part as the release that serves: a link out of releases/ (a copy elsewhere, a
 * release of another base) whose last part names a release here made a rollback mark that release BAD, though it did
 * not serve, and leave the one that did unmarked. Such a link is refused at the server check, as a folder is.
 */
describe("LAYOUT_SCRIPT's current", () => {
  let base: string;
  const layout = () => {
    const r = spawnSync("bash", ["-c", `set -euo pipefail\ncd "$1"\n${LAYOUT_SCRIPT}`, "_", base], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    return parseLayout(r.stdout);
  };

  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "layout-")));
    mkdirSync(join(base, "releases", ID), { recursive: true });
    mkdirSync(join(base, "elsewhere", ID), { recursive: true });
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it.each([
    [`releases/${ID}`],
    [`releases/${ID}/`],
    [`./releases/${ID}`],
    ["absolute", `releases/${ID}`],
    ["a release dir that is gone", "releases/20261206T000000Z-aaaaaaa"],
  ])("takes current -> %s as a release of this base", (a, b?: string) => {
    symlinkSync(b === undefined ? a : a === "absolute" ? join(base, b) : b, join(base, "current"));
    expect(layout().current).toBe("link");
    expect(layoutProblem(layout(), base)).toBeUndefined();
  });

  it.each([
    ["a release's copy outside releases/", () => join(base, "elsewhere", ID)],
    ["a dangling path outside the base", () => `/nonexistent/${ID}`],
    ["releases/ itself", () => "releases"],
    ["a dir of releases/ that is no release id", () => "releases/notes"],
    ["a path through ..", () => `releases/../elsewhere/${ID}`],
    ["/etc", () => "/etc"],
  ])("refuses current -> %s, with the fix", (_, target) => {
    symlinkSync(target(), join(base, "current"));
    expect(layoutProblem(layout(), base)).toEqual({
      problem: "`current` is a link out of releases/ (to no release of this base), not the link a deploy switches",
      fix: `mv ${base}/current ${base}/current.by-hand`,
    });
  });
});

/**
 * `.dep/releases.jsonl` is appended with `>>` and read with `cat`: a link to /dev/null (a log "silenced" by hand) lost
 * every later line, BAD marks included (and, the log read empty, the next deploy removed every release as unfinished);
 * a FIFO blocked every deploy, rollback and `--list` for ever. Refused at the server check, as the lock file is.
 */
describe("LAYOUT_SCRIPT's release log", () => {
  let base: string;
  const path = () => join(base, ".dep/releases.jsonl");
  const layout = () =>
    parseLayout(
      spawnSync("bash", ["-c", `set -euo pipefail\ncd "$1"\n${LAYOUT_SCRIPT}`, "_", base], { encoding: "utf8" }).stdout,
    );
  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "layout-")));
    mkdirSync(join(base, ".dep"));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("takes a log that is a file or absent", () => {
    expect(layoutProblem(layout(), base)).toBeUndefined();
    writeFileSync(path(), "");
    expect(layoutProblem(layout(), base)).toBeUndefined();
  });

  it.each([
    ["a link to /dev/null", "a link", () => symlinkSync("/dev/null", path())],
    ["a FIFO", "a FIFO, socket or device", () => execFileSync("mkfifo", [path()])],
    ["a folder", "a folder", () => mkdirSync(path())],
  ])("refuses a log that is %s, with the fix", (_, kind, make) => {
    make();
    expect(layoutProblem(layout(), base)).toEqual({
      problem: `\`.dep/releases.jsonl\` is ${kind}, not the file the release log is`,
      fix: `mv ${base}/.dep/releases.jsonl ${base}/.dep/releases.jsonl.by-hand`,
    });
  });
});

/**
 * The fifteenth hostile run (by reading): the server check read `shared/server.json` with a plain `cat` before the
 * lock, so a FIFO there blocked every deploy and rollback, and a link to /dev/zero grew the runner without end. Only a
 * regular file is read, bounded; anything else is named with its fix.
 */
describe("SERVER_INFO_SCRIPT", () => {
  let base: string;
  const path = () => join(base, "shared/server.json");
  const read = () => {
    const r = spawnSync("bash", ["-c", `cd "$1"\n${SERVER_INFO_SCRIPT}`, "_", base], {
      encoding: "utf8",
      timeout: 10_000,
      maxBuffer: 4 * SERVER_INFO_MAX_BYTES,
    });
    expect(r.error, "the read must end by itself").toBeUndefined();
    return () => parseServerInfo(r.stdout, "deploy@host:/srv/app");
  };
  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "server-info-")));
    mkdirSync(join(base, "shared"));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("refuses a FIFO, a device and a folder as not a file, with the fix", () => {
    execFileSync("mkfifo", [path()]);
    expect(read()).toThrow(/shared\/server\.json is not a regular file.*mv .*server\.json .*server\.json\.by-hand/);
    rmSync(path());
    symlinkSync("/dev/zero", path());
    expect(read()).toThrow(/is not a regular file/);
    rmSync(path());
    mkdirSync(path());
    expect(read()).toThrow(/is not a regular file/);
  });

  it("reads at most one byte past the bound of a huge file, then says it is too big", () => {
    writeFileSync(path(), `{${" ".repeat(4 * SERVER_INFO_MAX_BYTES)}}`);
    expect(read()).toThrow(/is more than 65536 bytes/);
  });

  it("still says a missing one is missing", () => {
    expect(read()).toThrow(/is missing or empty/);
  });
});
