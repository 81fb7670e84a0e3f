import { describe, expect, it } from "vitest";
import {
  checkGateInputs,
  deployArgv,
  recordReadArgv,
  rollbackArgv,
  targetEnv,
  targetName,
  targetOf,
} from "../../../../ci/src/plan/deploy/call";
import { DeployInputError } from "../../../../ci/src/plan/deploy/stage";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("targetEnv", () => {
  it("gives the host runner's STAGING_* settings with the key and known_hosts as mounted files, no secret values", () => {
    const env = targetEnv({
      ...targetOf("staging", { host: "10.0.0.5", user: "deploy", port: 2222, basePath: "/srv/app" }),
      name: "staging",
    });
    expect(env).toEqual({
      STAGING_SSH_HOST: "10.0.0.5",
      STAGING_SSH_PORT: "2222",
      STAGING_SSH_USER: "deploy",
      STAGING_DEPLOY_PATH: "/srv/app",
      STAGING_SSH_KEY_FILE: "/run/deploy/staging/ssh_key",
      STAGING_KNOWN_HOSTS_FILE: "/run/deploy/staging/known_hosts",
      STAGING_PUBLIC_URL: "http://10.0.0.5",
    });
  });
});

describe("targetOf", () => {
  it.each([
    ["host", { host: "a b" }],
    ["port", { port: 0 }],
    ["user", { user: "Root;" }],
    ["base path", { basePath: "/srv/../etc" }],
  ])("rejects a bad %s", (_, bad) => {
    expect(() => targetOf("production", { host: "h", user: "deploy", port: 22, basePath: "/srv/app", ...bad })).toThrow(
      DeployInputError,
    );
  });
});

describe("deployArgv / rollbackArgv", () => {
  it("runs the host runner's own commands on the release built once", () => {
    expect(deployArgv("production", { commit: SHA, keep: 4, forceReason: "hotfix" })).toEqual([
      "npm",
      "run",
      "pipeline",
      "--",
      "deploy-production",
      "--source",
      "/app",
      "--artifact",
      "/artifact",
      "--commit",
      SHA,
      "--keep",
      "4",
      "--force-reason",
      "hotfix",
    ]);
    expect(rollbackArgv("staging")).toEqual([
      "npm",
      "run",
      "pipeline",
      "--",
      "rollback",
      "--target",
      "staging",
      "--source",
      "/app",
    ]);
  });
});

describe("recordReadArgv", () => {
  it("pins the host key and reads .dep/e2e/<sha>.json, treating only a missing file as no record", () => {
    const argv = recordReadArgv(
      targetOf("staging", { host: "s.example.com", user: "deploy", port: 22, basePath: "/srv/app" }),
      SHA,
    );
    expect(argv).toEqual(
      expect.arrayContaining(["StrictHostKeyChecking=yes", "GlobalKnownHostsFile=/dev/null", "deploy@s.example.com"]),
    );
    expect(argv.join(" ")).not.toContain("ssh-keyscan");
    expect(argv.at(-1)).toBe(`cat /srv/app/.dep/e2e/${SHA}.json 2>/dev/null || true`);
  });
});

describe("checkGateInputs", () => {
  it("needs a full sha, and a staging host unless a non-empty force reason is given", () => {
    expect(() => checkGateInputs({ commit: "abc1234", stagingHost: "s" })).toThrow(/full 40-hex/);
    expect(() => checkGateInputs({ commit: SHA })).toThrow(/--staging-host.*--force-reason/);
    expect(() => checkGateInputs({ commit: SHA, forceReason: " " })).toThrow(DeployInputError);
    expect(() => checkGateInputs({ commit: SHA, forceReason: "hotfix" })).not.toThrow();
  });
});

describe("targetName", () => {
  it("accepts staging and production only", () => {
    expect(targetName("production")).toBe("production");
    expect(() => targetName("prod")).toThrow(/--target staging or --target production/);
  });
});
