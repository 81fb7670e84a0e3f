import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { installArgv, planBackendJob } from "../../../../ci/src/plan/fastTests/backend";

describe("installArgv", () => {
  it("adds --extra and --group for the configured test extras and groups to uv sync", () => {
    const c = parseConfig("backend:\n  extras: [test]\n  groups: [lint, testing]\n");
    expect(installArgv(c)).toEqual([
      "uv",
      "sync",
      "--frozen",
      "--extra",
      "test",
      "--group",
      "lint",
      "--group",
      "testing",
    ]);
  });

  it("leaves another install command as written", () => {
    const c = parseConfig("backend:\n  install: [pip, install, -e, .]\n  extras: [test]\n");
    expect(installArgv(c)).toEqual(["pip", "install", "-e", "."]);
  });
});

describe("planBackendJob", () => {
  it("asks uv for the configured Python, in the env and in the host preflight", () => {
    const job = planBackendJob(parseConfig('backend:\n  pythonVersion: "3.13"\n'));
    expect(job.env.UV_PYTHON).toBe("3.13");
    expect(job.tools.find((t) => t.python)?.python).toBe("3.13");
  });
});
