import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../../ci/src/plan/errors";
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

describe("runInit over a pipeline.yaml that is not a file", () => {
  const dir = mkdtempSync(join(tmpdir(), "init-special-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const repoWithApp = () => {
    const repo = mkdtempSync(join(dir, "repo-"));
    mkdirSync(join(repo, "web"));
    writeFileSync(join(repo, "web/package.json"), JSON.stringify({ dependencies: { next: "16.4.6" } }));
    return repo;
  };

  it.each([
    ["a FIFO (a write would wait for ever for a reader)", (p: string) => execFileSync("mkfifo", [p]), /a FIFO/],
    ["a folder", (p: string) => mkdirSync(p), /a folder/],
  ])("refuses %s with --force, with exit 2 and the fix", (_, make, what) => {
    const repo = repoWithApp();
    make(join(repo, "pipeline.yaml"));
    expect(() => runInit(repo, { force: true })).toThrow(InputError);
    expect(() => runInit(repo, { force: true })).toThrow(what);
    expect(() => runInit(repo, { force: true })).toThrow(/is not a regular file .*; remove it and run init again/);
  });

  it("writes a link's target with \\x escapes", () => {
    const repo = repoWithApp();
    symlinkSync("/tmp/x\x1b]0;owned\x07", join(repo, "pipeline.yaml"));
    expect(() => runInit(repo, { force: true })).toThrow("(to /tmp/x\\x1b]0;owned\\x07)");
  });
});
