import { describe, expect, it } from "vitest";
import { BOUNDS, rangeOf, type BoundName } from "../../../ci/src/plan/bounds";
import { ConfigError } from "../../../ci/src/plan/config/error";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { validateKeep } from "../../../ci/src/plan/deploy/stage";
import { readinessPolicy } from "../../../ci/src/plan/e2e/readiness";
import { validateShardCount } from "../../../ci/src/plan/e2e/shards";
import { InputError } from "../../../ci/src/plan/errors";
import { buildProgram } from "../../../scripts/host/cli/program";

/** A host CLI flag and the pipeline.yaml key of the same meaning (the bound's name), with a command taking it. */
const PAIRS: { command: string; flag: string; key: BoundName }[] = [
  { command: "deploy-staging", flag: "--keep", key: "deploy.keep" },
  { command: "end-to-end", flag: "--shards", key: "e2e.shards" },
  { command: "end-to-end-shard", flag: "--total", key: "e2e.shards" },
  { command: "end-to-end", flag: "--ready-attempts", key: "e2e.readyAttempts" },
  { command: "end-to-end", flag: "--ready-interval", key: "e2e.readyIntervalSeconds" },
];

/** The refusal the real commander program gives `args`, as the user sees it. */
async function cliRefusal(args: string[]): Promise<Error> {
  const run = buildProgram(() => {}).parseAsync(args, { from: "user" });
  await expect(run).rejects.toThrow(InputError);
  return run.catch((e: Error) => e) as Promise<Error>;
}

/** The refusal parseConfig gives a pipeline.yaml setting `key` to `value`. */
function configRefusal(key: string, value: number): Error {
  const yaml = key
    .split(".")
    .map((k, i, all) => `${"  ".repeat(i)}${k}:${i === all.length - 1 ? ` ${value}` : ""}`)
    .join("\n");
  expect(() => parseConfig(`${yaml}\n`)).toThrow(ConfigError);
  try {
    parseConfig(`${yaml}\n`);
  } catch (e) {
    return e as Error;
  }
  throw new Error("unreachable: parseConfig threw above");
}

describe("one set of bounds", () => {
  for (const { command, flag, key } of PAIRS) {
    const b = BOUNDS[key];
    const refused = [b.max + 1, ...(b.min >= 1 ? [b.min - 1] : [])];
    it(`refuses the same ${command} ${flag} and ${key} values, naming the same range`, async () => {
      for (const n of refused) {
        const cli = await cliRefusal([command, flag, String(n)]);
        const config = configRefusal(key, n);
        expect(cli.message).toContain(rangeOf(b));
        expect(config.message).toContain(rangeOf(b));
      }
    });
  }

  it("gives the Dagger functions' checks the same bounds: shards, keep, readiness", () => {
    expect(() => validateShardCount(BOUNDS["e2e.shards"].max + 1, 0)).toThrow(rangeOf(BOUNDS["e2e.shards"]));
    expect(() => validateKeep(BOUNDS["deploy.keep"].max + 1)).toThrow(rangeOf(BOUNDS["deploy.keep"]));
    const e2e = { readyAttempts: 30, readyIntervalSeconds: 10 };
    expect(() => readinessPolicy(e2e, BOUNDS["e2e.readyAttempts"].max + 1)).toThrow(
      rangeOf(BOUNDS["e2e.readyAttempts"]),
    );
    expect(() => readinessPolicy(e2e, 30, BOUNDS["e2e.readyIntervalSeconds"].max + 1)).toThrow(
      rangeOf(BOUNDS["e2e.readyIntervalSeconds"]),
    );
    expect(() => readinessPolicy(e2e, 360, 60)).toThrow(/at most 1800 s/);
    expect(readinessPolicy(e2e, 5)).toEqual({ attempts: 5, intervalSeconds: 10 });
  });
});
