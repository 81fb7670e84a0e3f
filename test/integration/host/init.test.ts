import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInit } from "../../../scripts/host/init";

const SCHEMA = resolve(import.meta.dirname, "../../../docs/pipeline.schema.json");

describe("runInit", () => {
  const dir = mkdtempSync(join(tmpdir(), "init-schema-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a first line whose $schema path, read from the written file, is this repository's JSON Schema", () => {
    mkdirSync(join(dir, "web"));
    writeFileSync(join(dir, "web/package.json"), JSON.stringify({ dependencies: { next: "16.4.6" } }));
    runInit(dir);
    const first = readFileSync(join(dir, "pipeline.yaml"), "utf8").split("\n")[0];
    const ref = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
    expect(ref, first).toBeDefined();
    expect(ref).not.toMatch(/^\//);
    expect(resolve(dir, ref ?? "")).toBe(SCHEMA);
    expect(existsSync(SCHEMA)).toBe(true);
  });
});
