import { describe, expect, it } from "vitest";
import {
  DeployRequestError,
  formatDeployRequest,
  parseDeployRequest,
  parseDeployRequestJson,
  type DeployRequest,
} from "../../../../ci/src/plan/deploy/request";

const GOOD: DeployRequest = {
  version: 1,
  action: "deploy",
  target: { name: "staging", host: "staging.example.com", port: 22, user: "deploy", basePath: "/srv/app" },
  files: {
    sshKey: "/run/deploy/staging/ssh_key",
    knownHosts: "/run/deploy/staging/known_hosts",
    secrets: { DATABASE_URI: "/run/deploy/staging/env/DATABASE_URI" },
    alerts: {},
  },
  source: "/app",
  config: "pipeline.yaml",
  artifact: "/artifact",
  commit: "0123456789abcdef0123456789abcdef01234567",
  requestedAt: "2026-12-04T17:00:00.000Z",
};

describe("parseDeployRequest (the one validator both sides of the Dagger deploy run)", () => {
  it("accepts a well-formed request and round-trips through its JSON", () => {
    expect(parseDeployRequestJson(formatDeployRequest(GOOD))).toEqual(GOOD);
  });

  it.each([
    ["another version", { version: 2 }, /version is 2/],
    ["an unknown action", { action: "destroy" }, /action is "destroy"/],
    [
      "an unknown target",
      { target: { ...GOOD.target, name: "prodution" } },
      /target.name is not staging or production/,
    ],
    ["a host that is an ssh option", { target: { ...GOOD.target, host: "-oProxyCommand=x" } }, /not a hostname/],
    ["a relative key path", { files: { ...GOOD.files, sshKey: "key" } }, /files.sshKey is not an absolute path/],
    ["a secret outside the env names", { files: { ...GOOD.files, secrets: { "a-b": "/x" } } }, /files.secrets.a-b/],
    ["a deploy without a commit", { commit: undefined }, /commit is not a commit sha/],
    ["a rollback with an artifact", { action: "rollback", commit: undefined }, /artifact is only for a deploy/],
    ["a keep of 0", { keep: 0 }, /keep is not an integer >= 1/],
    [
      "a public URL with credentials (baked into the frontend's bundle)",
      { publicUrl: "https://user:s3cret@staging.example.com" },
      /publicUrl carries credentials/,
    ],
    ["a release id with ..", { action: "rollback", artifact: undefined, commit: undefined, to: "../x" }, /to is not/],
  ])("refuses %s, naming the field", (_, change, problem) => {
    const bad = { ...GOOD, ...change };
    expect(() => parseDeployRequest(bad)).toThrow(DeployRequestError);
    expect(() => parseDeployRequest(bad)).toThrow(problem);
  });

  it("refuses text that is not JSON, and reads no inherited keys", () => {
    expect(() => parseDeployRequestJson("{")).toThrow(/not JSON/);
    const inherited = Object.assign(Object.create({ commit: GOOD.commit }), { ...GOOD, commit: undefined });
    expect(() => parseDeployRequest(inherited)).toThrow(/commit is not a commit sha/);
  });
});
