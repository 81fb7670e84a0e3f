import { describe, expect, it } from "vitest";
import {
  checkGateInputs,
  deployRequestOf,
  recordReadArgv,
  requestArgv,
  targetName,
  targetOf,
} from "../../../../ci/src/plan/deploy/call";
import { promotionRecordScript } from "../../../../ci/src/plan/deploy/promotion";
import { parseDeployRequest } from "../../../../ci/src/plan/deploy/request";
import { DeployInputError } from "../../../../ci/src/plan/deploy/stage";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("deployRequestOf", () => {
  const target = { ...targetOf("staging", { host: "10.0.0.5", user: "deploy", port: 2222, basePath: "/srv/app" }) };
  const base = { config: "pipeline.yaml", alerts: [], requestedAt: "2026-12-04T17:00:00.000Z" };

  it("names the mounted files of the secrets given, and the deploy's fields; the validator accepts it", () => {
    const req = deployRequestOf(
      { ...target, name: "staging" },
      { ...base, action: "deploy", appSecrets: ["databaseUri"], alerts: ["critical"], commit: SHA, keep: 4 },
    );
    expect(parseDeployRequest(req)).toEqual({
      version: 1,
      action: "deploy",
      target: { name: "staging", host: "10.0.0.5", port: 2222, user: "deploy", basePath: "/srv/app" },
      files: {
        sshKey: "/run/deploy/staging/ssh_key",
        knownHosts: "/run/deploy/staging/known_hosts",
        secrets: { DATABASE_URI: "/run/deploy/staging/env/DATABASE_URI" },
        alerts: { critical: "/run/deploy/alerts/critical" },
      },
      source: "/app",
      config: "pipeline.yaml",
      requestedAt: base.requestedAt,
      artifact: "/artifact",
      commit: SHA,
      publicUrl: "http://10.0.0.5",
      keep: 4,
    });
    expect(requestArgv()).toEqual([
      "npx",
      "--no-install",
      "tsx",
      "scripts/deployRequest.ts",
      "/run/deploy/request.json",
    ]);
  });

  it("builds a rollback with no app secret and no deploy field", () => {
    const req = deployRequestOf(
      { ...target, name: "production" },
      { ...base, action: "rollback", appSecrets: [], commit: SHA, to: "20261126T231501Z-3520442" },
    );
    expect(parseDeployRequest(req)).toMatchObject({ action: "rollback", to: "20261126T231501Z-3520442" });
    expect(req.files.secrets).toEqual({});
    expect(req).not.toHaveProperty("commit");
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
    expect(argv.at(-1)).toBe(promotionRecordScript("/srv/app", SHA));
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
