import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { detectBackend, factPaths, lowestAllowedMinor } from "../../../../ci/src/plan/config/repoFacts";

const PYPROJECT = `
[project]
name = "api"
requires-python = ">=3.11,<3.14"
dependencies = ["fastapi"]

[project.optional-dependencies]
test = ["pytest", "pytest-cov"]
docs = ["mkdocs"]

[dependency-groups]
dev = ["ruff"]
testing = ["httpx"]
`;

describe("detectBackend", () => {
  it("takes the Python minor from .python-version before requires-python", () => {
    const f = detectBackend({ pythonVersionFile: "3.13.1\n", pyproject: PYPROJECT });
    expect(f.pythonVersion).toEqual({ value: "3.13", why: ".python-version says 3.13.1" });
  });

  it("keeps the default Python when requires-python allows it, else takes the lowest minor it allows", () => {
    expect(detectBackend({ pyproject: PYPROJECT }, "3.12").pythonVersion).toBeUndefined();
    expect(detectBackend({ pyproject: PYPROJECT }, "3.10").pythonVersion?.value).toBe("3.11");
    const only313 = '[project]\nname = "a"\nrequires-python = ">=3.13"\n';
    expect(detectBackend({ pyproject: only313 }, "3.12").pythonVersion).toEqual({
      value: "3.13",
      why: 'pyproject.toml requires-python ">=3.13"',
    });
  });

  it("finds the test extras and groups, leaving out docs and the dev group uv installs by itself", () => {
    const f = detectBackend({ pyproject: PYPROJECT });
    expect(f.extras.value).toEqual(["test"]);
    expect(f.groups.value).toEqual(["testing"]);
  });

  it("detects nothing from a repository without the files, or with a pyproject.toml that is not TOML", () => {
    expect(detectBackend({})).toEqual({
      pythonVersion: undefined,
      extras: { value: [], why: "none found" },
      groups: { value: [], why: "none found" },
    });
    expect(detectBackend({ pyproject: "[project\nname=" }).extras.value).toEqual([]);
  });
});

describe("lowestAllowedMinor", () => {
  it.each([
    [">=3.13", "3.13"],
    ["~=3.12", "3.12"],
    [">=3.10,<3.13", "3.10"],
    ["==3.11.*", "3.11"],
    [">3.11", "3.11"],
    ["<3.10", "3.8"],
    ["!=3.8,>=3.8", "3.9"],
  ])("%s → %s", (spec, minor) => {
    expect(lowestAllowedMinor(spec)).toBe(minor);
  });
});

describe("factPaths", () => {
  it("puts the files under the backend path", () => {
    expect(factPaths("api")).toEqual({ pythonVersionFile: "api/.python-version", pyproject: "api/pyproject.toml" });
    expect(factPaths(".")).toEqual({ pythonVersionFile: ".python-version", pyproject: "pyproject.toml" });
  });
});

describe("detectBackend on a hostile pyproject.toml", () => {
  it.each(["requires-python = 7", 'requires-python = [">=3.11"]', "requires-python = { a = 1 }"])(
    "refuses %s with exit 2 naming the key (before: a TypeError stack trace from init and fast-tests)",
    (line) => {
      const pyproject = `[project]\nname = "b"\n${line}\n`;
      expect(() => detectBackend({ pyproject })).toThrow(ConfigError);
      expect(() => detectBackend({ pyproject })).toThrow(
        /pyproject\.toml: `project\.requires-python` must be a version specifier like ">=3\.11". Fix: /,
      );
      expect(() => parseConfig(undefined, "pipeline.yaml", { pyproject })).toThrow(ConfigError);
    },
  );

  it.each([
    '[project]\nname = 5\noptional-dependencies = "x"\n',
    "project = 5\n",
    "[project]\noptional-dependencies = [1]\n",
  ])("takes other wrong shapes (%j) as nothing detected", (pyproject) => {
    expect(detectBackend({ pyproject }).extras.value).toEqual([]);
  });
});
