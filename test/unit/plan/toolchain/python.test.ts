import { describe, expect, it } from "vitest";
import {
  detectPyManager,
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
