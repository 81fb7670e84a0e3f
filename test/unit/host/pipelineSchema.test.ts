import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../ci/src/plan/config/defaults";
import { initWanted, planInit } from "../../../ci/src/plan/config/init";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { listSource } from "../../../scripts/host/init";
import { pipelineJsonSchema, SCHEMA_FILE } from "../../../scripts/host/pipelineSchema";

const ROOT = resolve(import.meta.dirname, "../../..");
const committed = readFileSync(SCHEMA_FILE, "utf8");
const check = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(committed) as object);

/** What ajv says about a file's data: [] when it is valid. */
function problems(data: unknown): string[] {
  return check(data) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

/** init's pipeline.yaml for an example, read as the host runner reads it. */
function initYaml(dir: string): string {
  const paths = listSource(dir);
  const read = Object.fromEntries(initWanted(paths).map((p) => [p, readFileSync(join(dir, p), "utf8")]));
  return planInit({ paths, read }).yaml;
}

describe("docs/pipeline.schema.json", () => {
  it("is what the valibot schema converts to today (else run: npm run schema)", () => {
    expect(committed).toBe(pipelineJsonSchema());
  });

  it.each(["examples/app", "examples/library"])("accepts the pipeline.yaml init writes for %s", (example) => {
    const text = initYaml(join(ROOT, example));
    expect(problems(parse(text))).toEqual([]);
    expect(() => parseConfig(text)).not.toThrow();
  });

  it("accepts the defaults and the example in docs/config.md", () => {
    const { detected: _, ...defaults } = defaultConfig();
    // The Node pin is what the runners derive (from nodeVersion or the repository's files), never a key of the file.
    const { nodePin: __, ...frontend } = defaults.frontend;
    // Likewise the files a requirements file includes: read from the repository, never written in pipeline.yaml.
    const { requirementIncludes: ___, ...backend } = defaults.backend;
    expect(problems({ ...defaults, frontend, backend })).toEqual([]);
    const doc = readFileSync(join(ROOT, "docs/config.md"), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    expect(example).toContain("frontend:");
    expect(problems(parse(example))).toEqual([]);
    expect(() => parseConfig(example)).not.toThrow();
  });

  it.each([
    ["an unknown key", "frontend:\n  patth: web\n"],
    ["Object.prototype's name as a key", "frontend:\n  constructor: 5\n"],
    ["one inside an open map", "backend:\n  env:\n    toString: x\n"],
    ["a number over its bound", "deploy:\n  health:\n    attempts: 100000\n"],
    ["a fraction where a whole number belongs", "e2e:\n  shards: 2.5\n"],
    ["a path outside the repository", "backend:\n  path: ../elsewhere\n"],
    ["an absolute path", "frontend:\n  path: /srv/web\n"],
    ["a command with shell syntax", 'frontend:\n  install: "npm ci && curl x"\n'],
    ["an unknown strategy", "deploy:\n  strategy: rolling\n"],
    ["an unknown placeholder", "services:\n  mongo:\n    env:\n      URI: mongodb://{hostname}\n"],
    ["a list where a mapping belongs", "frontend:\n  env: []\n"],
  ])("refuses %s, as parseConfig does", (_, text) => {
    expect(problems(parse(text))).not.toEqual([]);
    expect(() => parseConfig(text)).toThrow();
  });
});

/** Every bounded number in a JSON Schema: `key` → [from, to] ("> 0" for an exclusive 0), `[]` marking items. */
function boundsOf(node: Record<string, unknown>, key = ""): [string, string, string][] {
  const from = node.exclusiveMinimum === 0 ? "> 0" : node.minimum;
  const here: [string, string, string][] =
    from !== undefined && typeof node.maximum === "number" ? [[key, String(from), String(node.maximum)]] : [];
  const props = Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>);
  return [
    ...here,
    ...props.flatMap(([k, child]) => boundsOf(child, key ? `${key}.${k}` : k)),
    ...(node.items ? boundsOf(node.items as Record<string, unknown>, `${key}[]`) : []),
  ];
}

describe("docs/config.md's bounds table", () => {
  it("gives each number's bounds exactly as the schema holds them, and no others", () => {
    const doc = readFileSync(join(ROOT, "docs/config.md"), "utf8");
    const table = doc.slice(doc.indexOf("### Bounds"), doc.indexOf("## Editors"));
    const rows = [...table.matchAll(/^\| `([^`]+)`[^|]*\| [^|]+ \| (> 0|[\d.]+) \| ([\d.]+) \|$/gm)].map(
      (m): [string, string, string] => [m[1], m[2], m[3]],
    );
    const schema = boundsOf(JSON.parse(committed) as Record<string, unknown>);
    expect(schema.length).toBeGreaterThan(20);
    expect(rows.sort()).toEqual(schema.sort());
  });
});
