import { describe, expect, it } from "vitest";
import { workflowCommandOf } from "../../../support/workflowCommands";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { classifyPath, filterPaths } from "../../../../ci/src/plan/triggers/paths";

const config = parseConfig(undefined);

describe("classifyPath", () => {
  it("sorts paths under the configured frontend and backend directories", () => {
    expect(classifyPath("frontend/src/app/page.tsx", config)).toBe("frontend");
    expect(classifyPath("backend/app/main.py", config)).toBe("backend");
  });

  it("treats the config, root lockfiles, the pipeline and its workflows as both", () => {
    for (const p of [
      "pipeline.yaml",
      "package.json",
      "package-lock.json",
      "dagger.json",
      "ci/src/index.ts",
      ".github/workflows/test-suite.yml",
    ]) {
      expect(classifyPath(p, config), p).toBe("both");
    }
  });

  it("treats docs and other files as neither", () => {
    expect(classifyPath("README.md", config)).toBe("other");
    expect(classifyPath("docs/setup.md", config)).toBe("other");
    expect(classifyPath("frontendish/x.ts", config)).toBe("other");
  });

  it("matches under the source prefix when the app sits inside the repository", () => {
    expect(classifyPath("examples/app/frontend/x.ts", config, { prefix: "examples/app" })).toBe("frontend");
    expect(classifyPath("examples/app/pipeline.yaml", config, { prefix: "examples/app/" })).toBe("both");
    expect(classifyPath("frontend/x.ts", config, { prefix: "examples/app" })).toBe("other");
  });

  it("follows frontend.path and backend.path from the config", () => {
    const custom = parseConfig("frontend:\n  path: web\nbackend:\n  path: services/api\n");
    expect(classifyPath("web/a.ts", custom)).toBe("frontend");
    expect(classifyPath("services/api/a.py", custom)).toBe("backend");
    expect(classifyPath("frontend/a.ts", custom)).toBe("other");
  });
});

describe("filterPaths", () => {
  it("runs only the backend job when only backend paths changed, and says why frontend is skipped", () => {
    const d = filterPaths(["backend/app/main.py"], config);
    expect(d.run).toEqual(["backend"]);
    expect(d.skipped).toEqual([{ job: "frontend", reason: expect.stringContaining("no change under frontend/") }]);
  });

  it("runs both jobs when a both-path changed", () => {
    const d = filterPaths(["pipeline.yaml"], config);
    expect(d.run).toEqual(["frontend", "backend"]);
    expect(d.because.frontend).toMatch(/pipeline.yaml changed, which affects both jobs/);
  });

  it("skips both jobs for docs-only changes and names the paths in the reason", () => {
    const d = filterPaths(["README.md", "docs/a.md"], config);
    expect(d.run).toEqual([]);
    expect(d.skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining("outside both apps: README.md, docs/a.md"),
      expect.stringContaining("README.md"),
    ]);
  });

  it("skips both jobs with a reason when nothing changed", () => {
    expect(filterPaths([], config).skipped.map((s) => s.reason)).toEqual([
      "nothing changed between base and head",
      "nothing changed between base and head",
    ]);
  });

  it("runs everything with a warning when the changed paths are unknown", () => {
    const d = filterPaths(undefined, config);
    expect(d.run).toEqual(["frontend", "backend"]);
    expect(d.warnings[0]).toMatch(/unknown.*running every job/);
  });

  it("never skips without a reason", () => {
    for (const paths of [[], ["README.md"], ["frontend/a.ts"], ["backend/a.py"]]) {
      for (const s of filterPaths(paths, config).skipped) expect(s.reason.length).toBeGreaterThan(10);
    }
  });
});

describe("filterPaths' reasons", () => {
  it("write a committed path's control characters as \\x escapes, so a file name cannot drive a terminal or forge a log line", () => {
    const d = filterPaths(["frontend/x\u001b]0;owned\u0007\n::error::forged.txt", "README\u009b.md"], config);
    const reasons = [d.because.frontend ?? "", ...d.skipped.map((s) => s.reason)].join(" | ");
    expect(reasons).toContain("frontend/x\\x1b]0;owned\\x07\\x0a::error::forged.txt");
    expect(reasons).toContain("README\\x9b.md");
    // eslint-disable-next-line no-control-regex -- the reasons must carry none
    expect(reasons).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

/** A committed file name in a reason, printed to the CI log: the runner reads `##[` anywhere in a line as a command. */
describe("filterPaths' reasons in a GitHub Actions log", () => {
  it("hold no workflow command a committed file name could carry", () => {
    const names = ["frontend/##[add-mask]develop.ts", "docs/##[error file=a,line=1]forged.md", "::stop-commands::x.md"];
    const d = filterPaths(names, config);
    const reasons = [d.because.frontend ?? "", ...d.skipped.map((s) => s.reason)];
    for (const r of reasons) expect(workflowCommandOf(r), r).toBeUndefined();
    expect(reasons.join(" ")).toContain(String.raw`frontend/##\x5badd-mask]develop.ts`);
  });
});

describe("filterPaths on a huge change", () => {
  it("decides 100,000 changed paths (a vendored folder) in well under a second's work, not minutes", () => {
    const paths = Array.from({ length: 100_000 }, (_, i) => `frontend/many/f${i}.ts`);
    const started = performance.now();
    const d = filterPaths([...paths, "backend/app/main.py"], config);
    // Linear work takes tens of milliseconds here; the bound only catches quadratic growth (minutes before).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(d.because.frontend).toMatch(/^100000 changed path\(s\) under frontend\//);
    expect(d.skipped).toEqual([]);
  });
});
