import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { exitCodeOf, INPUT_ERROR_PREFIX, InputError, isExpected, StageFailure } from "../../../ci/src/plan/errors";
import { DeployInputError } from "../../../ci/src/plan/deploy/stage";
import { ConfigError } from "../../../ci/src/plan/config/error";
import { NotReadyError } from "../../../ci/src/plan/e2e/readiness";

const ROOT = resolve(import.meta.dirname, "../../..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("exitCodeOf", () => {
  it("maps by class: input 2, stage failure 1, anything else 1", () => {
    expect(exitCodeOf(new ConfigError("pipeline.yaml", "x", "is wrong", "fix it"))).toBe(2);
    expect(exitCodeOf(new NotReadyError("http://x", 3, { error: "ECONNREFUSED" }))).toBe(1);
    expect(exitCodeOf(new TypeError("bug"))).toBe(1);
    expect(isExpected(new TypeError("bug"))).toBe(false);
    expect(new ConfigError("f", "k", "p", "x").name).toBe("ConfigError");
  });
});

describe("an input error's message", () => {
  it("starts with `input error: ` on both runners, once, and keeps the fix", () => {
    const e = new DeployInputError("deploy-production", "refused", "run the E2E stage for abc1234 on staging");
    expect(e.message).toBe("input error: deploy-production refused. Fix: run the E2E stage for abc1234 on staging");
    expect(new ConfigError("pipeline.yaml", "x", "is wrong", "fix it").message.startsWith(INPUT_ERROR_PREFIX)).toBe(
      true,
    );
    expect(new InputError(new InputError("bad flag").message).message).toBe("input error: bad flag");
    expect(new StageFailure("job failed").message).toBe("job failed");
  });
});

describe("the one error model", () => {
  it("every error class in ci/src and scripts extends InputError, StageFailure or one of theirs", () => {
    const classes = new Map<string, string>();
    for (const f of [...sources("ci/src"), ...sources("scripts")]) {
      for (const m of readFileSync(join(ROOT, f), "utf8").matchAll(/class (\w+) extends (\w+)/g))
        classes.set(m[1], m[2]);
    }
    const rooted = (name: string, seen = 0): boolean =>
      name === "InputError" ||
      name === "StageFailure" ||
      (seen < 10 && classes.has(name) && rooted(classes.get(name)!, seen + 1));
    const errors = [...classes.keys()].filter(
      (c) => /(Error|Failed|Failure)$/.test(c) && !["InputError", "StageFailure"].includes(c),
    );
    expect(errors.length).toBeGreaterThan(15);
    expect(errors.filter((c) => !rooted(c))).toEqual([]);
    expect(InputError.prototype).toBeInstanceOf(Error);
    expect(StageFailure.prototype).toBeInstanceOf(Error);
  });
});
