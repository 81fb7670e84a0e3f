import { describe, expect, it } from "vitest";
import {
  detectPyManager,
  includedPath,
  requirementRefs,
  POETRY_VERSION,
  pyInstall,
  pyManifests,
  pyTest,
} from "../../../../ci/src/plan/toolchain/python";

describe("detectPyManager", () => {
  it("prefers uv.lock, then poetry.lock or [tool.poetry], then requirements files", () => {
    expect(detectPyManager({ files: ["uv.lock", "poetry.lock"] })).toEqual({ manager: "uv", why: "uv.lock" });
    expect(detectPyManager({ files: ["poetry.lock"] })).toEqual({ manager: "poetry", why: "poetry.lock" });
    const toml = '[tool.poetry]\nname = "x"\n';
    expect(detectPyManager({ files: [], pyproject: toml })).toEqual({
      manager: "poetry",
      why: "pyproject.toml [tool.poetry]",
    });
    expect(detectPyManager({ files: ["requirements.txt", "requirements-dev.txt"] })).toEqual({
      manager: "pip",
      why: "requirements.txt, requirements-dev.txt (installed with uv pip)",
    });
    expect(detectPyManager({ files: [] }).manager).toBe("uv");
  });
});

describe("commands", () => {
  const poetry = ["uv", "tool", "run", "--from", `poetry==${POETRY_VERSION}`, "poetry"];

  it("runs Poetry at its pinned version through uvx: dependencies first, the root package once the source is in", () => {
    expect(pyInstall("poetry", [])).toEqual({
      deps: [[...poetry, "install", "--no-root"]],
      root: [[...poetry, "install", "--only-root"]],
    });
    expect(pyTest("poetry")).toEqual([...poetry, "run", "pytest"]);
    expect(pyManifests("poetry", [])).toEqual(["pyproject.toml", "poetry.lock"]);
  });

  it("installs requirements files into a fresh .venv with uv pip and runs pytest from it", () => {
    const reqs = ["requirements.txt", "requirements-dev.txt"];
    expect(pyInstall("pip", reqs)).toEqual({
      deps: [
        ["uv", "venv", "--clear"],
        [
          "uv",
          "pip",
          "install",
          "--python",
          ".venv/bin/python",
          "-r",
          "requirements.txt",
          "-r",
          "requirements-dev.txt",
        ],
      ],
      root: [],
    });
    expect(pyTest("pip")).toEqual([".venv/bin/python", "-m", "pytest"]);
    expect(pyManifests("pip", reqs)).toEqual(reqs);
  });
});

describe("requirements includes", () => {
  it("reads -r, -c and their long forms, with or without = or a space, and leaves URLs to the installer", () => {
    const text =
      "-r base.txt\n-rdev.txt\n  --requirement=req/a.txt\n-c c.txt\n--constraint x.txt\n-r https://h/r.txt\nfastapi\n-e .\n";
    expect(requirementRefs(text)).toEqual(["base.txt", "dev.txt", "req/a.txt", "c.txt", "x.txt"]);
  });

  it("resolves an include from the folder of the file naming it, never outside the backend", () => {
    expect(includedPath("requirements.txt", "requirements/base.txt")).toBe("requirements/base.txt");
    expect(includedPath("requirements/dev.txt", "./base.txt")).toBe("requirements/base.txt");
    expect(includedPath("requirements/dev.txt", "../constraints.txt")).toBe("constraints.txt");
    expect(includedPath("requirements.txt", "../shared.txt")).toBeUndefined();
    expect(includedPath("requirements.txt", "/etc/passwd")).toBeUndefined();
  });

  it("copies the included files after the named ones, each once", () => {
    expect(pyManifests("pip", ["requirements.txt"], ["requirements/base.txt", "requirements.txt"])).toEqual([
      "requirements.txt",
      "requirements/base.txt",
    ]);
  });
});
