import { describe, expect, it } from "vitest";
import { isAllowedRunnerVariable, repositoryEnv } from "../../../ci/src/plan/env";

describe("repositoryEnv", () => {
  const allowed = {
    PATH: "/tools:/usr/bin",
    HOME: "/home/ci",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    CI: "true",
    TMPDIR: "/tmp/x",
  };
  const runner = {
    ...allowed,
    STAGING_SSH_KEY: "-----BEGIN-----\nkey\n-----END-----",
    PRODUCTION_SSH_KEY: "k",
    STAGING_SECRET_DATABASE_URI: "mongodb://u:p@h/db",
    ALERT_WEBHOOK_CRITICAL: "https://hooks/x",
    GITHUB_TOKEN: "ghp_x",
    AWS_SECRET_ACCESS_KEY: "y",
    NPM_TOKEN: "z",
    UNSET: undefined,
  };

  it("keeps only the allowed runner variables: PATH, HOME, locale, CI, temp dirs", () => {
    expect(repositoryEnv(runner)).toEqual(allowed);
  });

  it("adds what the plan sets, in order, the later winning over the runner's", () => {
    const env = repositoryEnv(
      runner,
      { CI: "1", A: "job" },
      { DATABASE_URI: "mongodb://127.0.0.1:1/t" },
      { A: "step" },
    );
    expect(env).toMatchObject({ CI: "1", A: "step", DATABASE_URI: "mongodb://127.0.0.1:1/t", PATH: "/tools:/usr/bin" });
  });

  it("lets a secret through only when the plan itself names it", () => {
    expect(repositoryEnv(runner).GITHUB_TOKEN).toBeUndefined();
    expect(repositoryEnv(runner, { GITHUB_TOKEN: "planned" }).GITHUB_TOKEN).toBe("planned");
  });

  it("allows locale categories by prefix and nothing that merely contains an allowed name", () => {
    expect(["LC_CTYPE", "LANGUAGE", "SSL_CERT_FILE"].map(isAllowedRunnerVariable)).toEqual([true, true, true]);
    expect(["MY_PATH", "HOMEBREW_GITHUB_API_TOKEN", "CI_JOB_TOKEN"].map(isAllowedRunnerVariable)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("lets the proxy settings through in both cases: a corporate runner reaches its registries only through them", () => {
    const proxies = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];
    expect(proxies.filter((p) => !isAllowedRunnerVariable(p))).toEqual([]);
    expect(isAllowedRunnerVariable("ALL_PROXY_TOKEN")).toBe(false);
  });
});
