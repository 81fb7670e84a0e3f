import { describe, expect, it } from "vitest";
import {
  commitUnderTest,
  parseStagingRelease,
  stagingReleaseArgv,
  StagingCommitError,
} from "../../../../ci/src/plan/e2e/stagingCommit";

const A = "a".repeat(40);
const B = "b".repeat(40);
const ID = "20261129T201500Z-aaaaaaa";
const log = (commit: string) => `${JSON.stringify({ id: ID, commit, status: "deployed", time: "" })}\n`;

describe("stagingReleaseArgv", () => {
  it("runs the pinned ssh with the given key and known_hosts, reading current, its REVISION and the release log", () => {
    const argv = stagingReleaseArgv(
      { name: "staging", host: "staging.example.com", port: 2222, user: "deploy", basePath: "/srv/app" },
      { keyFile: "/k", knownHostsFile: "/kh" },
    );
    expect(argv.slice(0, 5)).toEqual(["ssh", "-i", "/k", "-p", "2222"]);
    expect(argv).toContain("StrictHostKeyChecking=yes");
    expect(argv).toContain("UserKnownHostsFile=/kh");
    expect(argv.slice(-3, -1)).toEqual(["--", "deploy@staging.example.com"]);
    // Run by bash whatever the login shell: the layout check is the deploy's, in bash.
    expect(argv.at(-1)).toMatch(
      /^cd \/srv\/app && bash -c '.*readlink current.*head -c 4096 current\/REVISION.*tail -c 1048576 \.dep\/releases\.jsonl.*sha256sum current\/MANIFEST.*'$/s,
    );
  });
});

describe("parseStagingRelease", () => {
  it("names the release's artifact digest from the sha256 of its MANIFEST", () => {
    const sum = "c".repeat(64);
    expect(
      parseStagingRelease(
        `current link\n@@\nreleases/${ID}\n@@\n${A}\n@@\n${log(B)}@@\n${sum}  current/MANIFEST\n`,
        "/srv/app",
      ),
    ).toEqual({
      release: ID,
      commit: A,
      artifact: `sha256:${sum}`,
    });
  });

  it("takes the commit from current/REVISION", () => {
    expect(parseStagingRelease(`current link\n@@\nreleases/${ID}\n@@\n${A}\n@@\n${log(B)}`, "/srv/app")).toEqual({
      release: ID,
      commit: A,
    });
  });

  it("falls back to the release log's entry for the current release when REVISION is missing", () => {
    expect(parseStagingRelease(`current link\n@@\nreleases/${ID}\n@@\n@@\n${log(B)}`, "/srv/app")).toEqual({
      release: ID,
      commit: B,
    });
  });

  it("finds no release when current is missing or names no release id", () => {
    expect(parseStagingRelease(`current link\n@@\n@@\n@@\n`, "/srv/app")).toBeUndefined();
    expect(parseStagingRelease(`current link\n@@\nreleases/../x\n@@\n${A}\n@@\n`, "/srv/app")).toBeUndefined();
  });

  it("finds no commit when neither REVISION nor the log holds a full sha", () => {
    expect(
      parseStagingRelease(`current link\n@@\nreleases/${ID}\n@@\nabc\n@@\n${log("abc")}`, "/srv/app"),
    ).toBeUndefined();
  });
});

describe("commitUnderTest", () => {
  const staging = { release: ID, commit: A };
  it("is staging's commit when none is given, or the same one is", () => {
    expect(commitUnderTest(undefined, staging, "d@h:/b")).toBe(A);
    expect(commitUnderTest(A, staging, "d@h:/b")).toBe(A);
  });

  it("refuses another commit, saying what staging runs", () => {
    expect(() => commitUnderTest(B, staging, "d@h:/b")).toThrow(StagingCommitError);
    expect(() => commitUnderTest(B, staging, "d@h:/b")).toThrow(`staging runs ${A} (release ${ID} at d@h:/b)`);
  });

  it("refuses a staging without a release, naming the deploy to run", () => {
    expect(() => commitUnderTest(undefined, undefined, "d@h:/b")).toThrow(/no current release.*deploy-staging/);
  });
});
