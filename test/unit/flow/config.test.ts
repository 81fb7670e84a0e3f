import { describe, expect, it } from "vitest";
import { loadConfig, type ConfigSource } from "../../../ci/src/flow/config";
import { ConfigError } from "../../../ci/src/plan/config/error";

/** A source tree of canned files (folders end in `/`), recording every port call in order. */
function fakeSource(files: Record<string, string>, unreadable: string[] = []): ConfigSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    where: "the fake source",
    exists: async (p) => {
      calls.push(`exists ${p}`);
      return p in files || `${p}/` in files || unreadable.includes(p);
    },
    read: async (p) => {
      calls.push(`read ${p}`);
      if (unreadable.includes(p) || !(p in files)) throw new Error(`EACCES ${p}`);
      return files[p];
    },
  };
}

const LAYOUT = { "frontend/": "", "backend/": "" };

describe("loadConfig", () => {
  it("applies the defaults when the default file is absent, reading the backend's facts and checking both paths", async () => {
    const src = fakeSource({ ...LAYOUT, "backend/.python-version": "3.12\n" });
    const c = await loadConfig(src);
    expect(c.backend.pythonVersion).toBe("3.12");
    expect(
      src.calls.filter((c) => !/(lock|requirements|\.nvmrc|\.node-version|package\.json|\.yarnrc\.yml)/.test(c)),
    ).toEqual([
      "exists pipeline.yaml",
      "exists backend/.python-version",
      "exists backend/pyproject.toml",
      "read backend/.python-version",
      "exists frontend",
      "exists backend",
    ]);
    // The toolchain facts: the frontend's pins and lockfiles, the backend's lockfiles and requirements files.
    expect(src.calls).toContain("exists frontend/.nvmrc");
    expect(src.calls).toContain("exists frontend/pnpm-lock.yaml");
    expect(src.calls).toContain("exists backend/poetry.lock");
    expect(src.calls).toContain("exists backend/requirements.txt");
  });

  it("reads the file's keys, then the facts under the backend path it names", async () => {
    const src = fakeSource({
      "web/": "",
      "api/": "",
      "pipeline.yaml": "frontend:\n  path: web\nbackend:\n  path: api\n",
    });
    const c = await loadConfig(src);
    expect([c.frontend.path, c.backend.path]).toEqual(["web", "api"]);
    expect(src.calls).toContain("exists api/pyproject.toml");
  });

  it("follows the requirements files' -r and -c to the files they include, copied before the install", async () => {
    const src = fakeSource({
      ...LAYOUT,
      "backend/requirements.txt": "-r requirements/prod.txt\n--constraint=constraints.txt\nfastapi\n",
      "backend/requirements/prod.txt": "-r common.txt\n-r ../../outside.txt\n-r https://example.invalid/r.txt\n",
      "backend/requirements/common.txt": "-r ../requirements.txt\npymongo\n",
      "backend/constraints.txt": "pymongo==4.20.1\n",
    });
    const c = await loadConfig(src);
    expect(c.backend.packageManager).toBe("pip");
    expect(c.backend.requirements).toEqual(["requirements.txt"]);
    expect(c.backend.requirementIncludes).toEqual([
      "requirements/prod.txt",
      "constraints.txt",
      "requirements/common.txt",
    ]);
  });

  it("refuses a configured path the source lacks, naming the key and the fix", async () => {
    const src = fakeSource({ ...LAYOUT, "pipeline.yaml": "backend:\n  path: api\n" });
    await expect(loadConfig(src)).rejects.toThrow(
      /pipeline\.yaml: `backend\.path` points at "api", which is not in the source\. Fix: create it, or set backend\.path/,
    );
  });

  it("refuses an explicitly named config file that is absent, saying where it looked", async () => {
    await expect(loadConfig(fakeSource(LAYOUT), "ci/other.yaml")).rejects.toThrow(
      /ci\/other\.yaml: is not in the fake source.*pass --config/,
    );
  });

  it("refuses a config file that exists but cannot be read, as an input error", async () => {
    const p = loadConfig(fakeSource(LAYOUT, ["pipeline.yaml"]));
    await expect(p).rejects.toThrow(ConfigError);
    await expect(p).rejects.toThrow(/pipeline\.yaml: cannot be read from the fake source/);
  });

  it("ignores a fact file that cannot be read: it is a hint, not the config", async () => {
    const c = await loadConfig(fakeSource(LAYOUT, ["backend/.python-version"]));
    expect(c.backend.pythonVersion).toBe((await loadConfig(fakeSource(LAYOUT))).backend.pythonVersion);
  });

  it("asks the inside port before reading the file, its facts or trusting its paths, and refuses what leaves", async () => {
    const linked = (outside: string[]) => ({
      ...fakeSource({ ...LAYOUT, "pipeline.yaml": "e2e:\n  shards: 2\n", "backend/.python-version": "3.13\n" }),
      inside: async (p: string) => !outside.includes(p),
    });
    await expect(loadConfig(linked(["frontend"]))).rejects.toThrow(
      /`frontend\.path` points at "frontend", a link that leads outside the repository/,
    );
    await expect(loadConfig(linked(["pipeline.yaml"]))).rejects.toThrow(/pipeline\.yaml: is a link to a file outside/);
    const src = linked(["backend/.python-version"]);
    expect((await loadConfig(src)).backend.pythonVersion).toBe("3.12");
    expect(src.calls).not.toContain("read backend/.python-version");
  });
});
