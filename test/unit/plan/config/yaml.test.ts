import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { parseYaml } from "../../../../ci/src/plan/config/yaml";

/** A pipeline.yaml whose frontend.env holds `n` variables: about 80 bytes a key. */
function manyKeys(n: number): string {
  const lines = ["frontend:", "  env:"];
  for (let i = 0; i < n; i++) lines.push(`    VARIABLE_NUMBER_${i}: "value-${i}-${"x".repeat(40)}"`);
  return `${lines.join("\n")}\n`;
}

function msOf(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

describe("parseConfig: keys JavaScript objects already carry", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "prototype"])(
    "refuses %s as a key, naming it and the fix",
    (name) => {
      expect(() => parseConfig(`frontend:\n  ${name}: 5\n`)).toThrow(ConfigError);
      expect(() => parseConfig(`frontend:\n  ${name}: 5\n`)).toThrow(
        new RegExp(`\`frontend\\.${name}\` is a name every JavaScript object already has.*Fix: remove or rename it`),
      );
    },
  );

  it("refuses one inside an open map too, where any name is otherwise allowed", () => {
    expect(() => parseConfig("backend:\n  env:\n    constructor: x\n")).toThrow(
      /`backend\.env\.constructor` is a name/,
    );
    expect(() => parseConfig("__proto__:\n  polluted: true\n")).toThrow(/`__proto__` is a name/);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe("parseConfig: duplicate keys", () => {
  it("refuses a key given twice, naming it", () => {
    expect(() => parseConfig("frontend:\n  path: a\n  path: b\n")).toThrow(
      /`frontend\.path` is given twice\. Fix: keep one of them/,
    );
  });
});

describe("parseConfig: time grows linearly with the file", () => {
  it("checks one ~630 KB file of 8,000 keys in at most 3x the time of 20 files a twentieth its size", () => {
    const small = manyKeys(400);
    const big = manyKeys(8000);
    expect(big.length).toBeGreaterThan(600_000);
    for (let i = 0; i < 3; i++) msOf(() => parseConfig(small));
    // The same bytes either way, measured in turns so the busy machine weighs on both alike.
    const smalls: number[] = [];
    const bigs: number[] = [];
    for (let round = 0; round < 3; round++) {
      smalls.push(msOf(() => Array.from({ length: 20 }, () => parseConfig(small))));
      bigs.push(msOf(() => parseConfig(big)));
    }
    const [smallMs, bigMs] = [median(smalls), median(bigs)];
    // Linear is about 1x; the old quadratic duplicate-key scan was about 10x here.
    expect(bigMs, `20 small: ${smallMs.toFixed(0)} ms, big: ${bigMs.toFixed(0)} ms`).toBeLessThan(3 * smallMs);
  }, 120_000);

  it("refuses an alias bomb with a ConfigError instead of expanding it", () => {
    const rows = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const n of ["b", "c", "d", "e"])
      rows.push(
        `${n}: &${n} [${Array(9)
          .fill(`*${rows.at(-1)![0]}`)
          .join(", ")}]`,
      );
    expect(() => parseYaml(rows.join("\n"), "bomb.yaml")).toThrow(ConfigError);
    expect(() => parseYaml(rows.join("\n"), "bomb.yaml")).toThrow(/aliases that expand too far/);
  });
});

describe("parseConfig: a size bound, stated in the message", () => {
  it("refuses a file over 1 MiB of UTF-8 (bytes, not characters), before parsing it", () => {
    // 350,000 three-byte characters: 1,050,000 bytes in 350,000 characters.
    const text = `# ${"€".repeat(350_000)}\nfrontend:\n  path: web\n`;
    expect(() => parseConfig(text)).toThrow(ConfigError);
    expect(() => parseConfig(text)).toThrow(
      "input error: pipeline.yaml: is 1050025 bytes, more than the 1048576 (1 MiB) a config file may hold. Fix: ",
    );
  });

  it("takes a file of exactly 1 MiB", () => {
    const tail = "frontend:\n  path: web\n";
    const text = `# ${"x".repeat(1024 * 1024 - tail.length - 3)}\n${tail}`;
    expect(Buffer.byteLength(text)).toBe(1024 * 1024);
    expect(parseConfig(text).frontend.path).toBe("web");
  });
});
