import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../ci/src/plan/config/parse";

/** `a.b.c: value` as nested YAML. */
function yamlAt(key: string, value: string): string {
  const parts = key.split(".");
  return `${parts.map((p, i) => `${"  ".repeat(i)}${p}:`).join("\n")} ${value}\n`;
}

describe("parseConfig: every number has bounds, and the message gives them", () => {
  it.each([
    ["deploy.health.attempts", "100000", "is 100000; it must be at most 60", "use a whole number from 1 to 60"],
    ["deploy.watch.windowSeconds", "1e12", "is 1000000000000; it must be at most 1800", "use seconds from 0 to 1800"],
    ["deploy.keep", "1000", "is 1000; it must be at most 50", "use a whole number from 1 to 50"],
    ["deploy.health.failuresBeforeRollback", "0", "is 0; it must be at least 1", "use a whole number from 1 to 20"],
    ["deploy.health.intervalSeconds", "0", "is 0; it must be at least 0.1", "use seconds from 0.1 to 60"],
    ["deploy.watch.minRequests", "2.5", "is 2.5, not a whole number", "use a whole number from 1 to 1000000"],
    ["deploy.watch.errorRatePercent", "101", "is 101; it must be at most 100", "use a percentage from 0 to 100"],
    ["deploy.watch.p95RollbackSeconds", ".inf", "is Infinity; it must be at most 120", "use seconds from 0 to 120"],
    ["e2e.shards", "1000", "is 1000; it must be at most 64", "use a whole number from 1 to 64"],
    ["e2e.readyAttempts", "-1", "is -1; it must be at least 1", "use a whole number from 1 to 360"],
    ["e2e.readyIntervalSeconds", "3600", "is 3600; it must be at most 60", "use seconds from 0 to 60"],
    [
      "thresholds.fastTests.target",
      "1e9",
      "is 1000000000; it must be at most 1440",
      "use minutes above 0 and at most 1440",
    ],
    ["thresholds.e2e.alert", "0", "is 0; it must be more than 0", "use minutes above 0 and at most 1440"],
    ["thresholds.coverage", "-5", "is -5; it must be at least 0", "use a percentage from 0 to 100"],
    ["services.mongo.port", "0", "is 0; it must be at least 1", "use a TCP port from 1 to 65535"],
    ["billing.ratePerMinute", "500", "is 500; it must be at most 10", "use dollars per minute from 0 to 10"],
  ])("%s: %s is refused", (key, value, problem, fix) => {
    const run = () => parseConfig(yamlAt(key, value));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(`\`${key}\` ${problem}. Fix: ${fix}, such as `);
  });

  it("refuses NaN as not a number", () => {
    expect(() => parseConfig("e2e:\n  shards: .nan\n")).toThrow(
      /`e2e\.shards` must be a number\. Fix: write it like shards: 4/,
    );
  });

  it("bounds each canary step and the number of steps", () => {
    expect(() => parseConfig("deploy:\n  canary:\n    steps: [5, 150]\n")).toThrow(
      /`deploy\.canary\.steps\[1\]` is 150; it must be at most 100/,
    );
    expect(() => parseConfig(`deploy:\n  canary:\n    steps: [${[...Array(11).keys()].map((i) => i + 1)}]\n`)).toThrow(
      /`deploy\.canary\.steps` has more than 10 steps/,
    );
  });

  it("bounds the time a deploy waits on health while it holds the lock, and E2E's wait for the app", () => {
    expect(() => parseConfig("deploy:\n  health: { attempts: 60, intervalSeconds: 60 }\n")).toThrow(
      /`deploy\.health` waits up to attempts × intervalSeconds = 3600 s .* at most 600 s/,
    );
    expect(() => parseConfig("e2e:\n  readyAttempts: 360\n  readyIntervalSeconds: 60\n")).toThrow(
      /`e2e` waits up to readyAttempts × readyIntervalSeconds = 21600 s .* at most 1800 s/,
    );
  });

  it("accepts every bound itself", () => {
    const c = parseConfig("deploy:\n  keep: 50\n  health: { attempts: 60, intervalSeconds: 10 }\ne2e:\n  shards: 64\n");
    expect([c.deploy.keep, c.deploy.health.attempts, c.e2e.shards]).toEqual([50, 60, 64]);
  });
});

describe("parseConfig: paths stay inside the repository", () => {
  it.each([
    ["frontend.path", "../x", "the repository root"],
    ["frontend.path", "/srv/app", "the repository root"],
    ["backend.path", "api/../../etc", "the repository root"],
    ["backend.path", '"C:\\\\app"', "the repository root"],
    ["backend.coverageSource", "../app", "backend.path"],
    ["e2e.testDir", "/e2e", "frontend.path"],
  ])("%s: %s is refused, with the fix", (key, value, base) => {
    expect(() => parseConfig(yamlAt(key, value))).toThrow(
      new RegExp(`\`${key.replace(".", "\\.")}\` is ".*", outside .*\\. Fix: use a path relative to ${base}`),
    );
  });

  it("refuses a deselected test outside the backend", () => {
    expect(() => parseConfig('backend:\n  deselect: ["../other/test_x.py::test_a"]\n')).toThrow(
      /`backend\.deselect\[0\]` is ".*", outside the backend/,
    );
  });

  it("accepts the root itself, nested folders and names with dots", () => {
    const c = parseConfig("frontend:\n  path: .\nbackend:\n  path: services/api..v2\n");
    expect([c.frontend.path, c.backend.path]).toEqual([".", "services/api..v2"]);
  });
});

describe("parseConfig: each value of the right kind", () => {
  it("suggests the closest strategy", () => {
    expect(() => parseConfig("deploy:\n  strategy: bluegren\n")).toThrow(
      /`deploy\.strategy` is "bluegren"\. Fix: use bluegreen or canary \(did you mean `bluegreen`\?\)/,
    );
  });

  it("refuses a list where a mapping belongs, at every depth", () => {
    expect(() => parseConfig("frontend:\n  env: []\n")).toThrow(/`frontend\.env` must be a mapping of names/);
    expect(() => parseConfig("deploy:\n  health: [1]\n")).toThrow(/`deploy\.health` must be a mapping\. Fix: indent/);
    expect(() => parseConfig("- a\n- b\n")).toThrow(
      /pipeline\.yaml: must be a mapping\. Fix: indent the keys under the top level/,
    );
  });

  it("names the step whose command uses shell syntax", () => {
    expect(() => parseConfig("frontend:\n  steps:\n    lint: npm run lint && rm -rf /\n")).toThrow(
      /`frontend\.steps\.lint` "npm run lint && rm -rf \/" uses shell syntax.*Fix: write it as an argv list, e\.g\. lint:/,
    );
    expect(() => parseConfig("backend:\n  test: []\n")).toThrow(/`backend\.test` must be a command/);
  });

  it("refuses an environment name the environment cannot carry, and a value that is not a string", () => {
    expect(() => parseConfig('frontend:\n  env:\n    "NODE ENV": x\n')).toThrow(
      /`frontend\.env\.NODE ENV` is not a variable name/,
    );
    expect(() => parseConfig("backend:\n  env:\n    CI: true\n")).toThrow(/`backend\.env\.CI` must be a quoted string/);
  });

  it("refuses an image or a binary name with spaces in it, which no registry or PATH holds", () => {
    expect(() => parseConfig('frontend:\n  image: "node:22 --privileged"\n')).toThrow(
      /`frontend\.image` is "node:22 --privileged", not an image reference/,
    );
    expect(() => parseConfig('services:\n  mongo:\n    hostCommands: [{ bin: "mongod --fork", args: [] }]\n')).toThrow(
      /`services\.mongo\.hostCommands\[0\]\.bin` is "mongod --fork", not a program name/,
    );
  });

  it("refuses a host command without its binary, and versions that name no version", () => {
    expect(() => parseConfig("services:\n  mongo:\n    hostCommands: [{ args: [] }]\n")).toThrow(
      /`services\.mongo\.hostCommands\[0\]\.bin` is missing/,
    );
    expect(() => parseConfig("frontend:\n  nodeVersion: latest\n")).toThrow(
      /`frontend\.nodeVersion` is "latest", not a Node version/,
    );
  });
});

describe("parseConfig: services.mongo.database", () => {
  it("refuses a name whose per-worker copy (<name>_gw63) would pass MongoDB's 63 characters, naming the bound", () => {
    const text = `services:\n  mongo:\n    database: ${"d".repeat(59)}\n`;
    expect(() => parseConfig(text)).toThrow(ConfigError);
    expect(() => parseConfig(text)).toThrow(
      /`services\.mongo\.database` is "d{59}", not a database name .*58 characters/,
    );
    expect(parseConfig(`services:\n  mongo:\n    database: ${"d".repeat(58)}\n`).services.mongo.database).toHaveLength(
      58,
    );
  });
});
