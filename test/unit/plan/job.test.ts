import { describe, expect, it } from "vitest";
import { containerWorkdir, displayArgv, serviceEnv } from "../../../ci/src/plan/job";
import { planMongoService } from "../../../ci/src/plan/fastTests/mongo";
import { parseConfig } from "../../../ci/src/plan/config/parse";

describe("serviceEnv", () => {
  it("fills host and port for each runner", () => {
    const svc = planMongoService(parseConfig(undefined));
    expect(serviceEnv(svc, "mongo", 27017)).toEqual({ DATABASE_URI: "mongodb://mongo:27017/autoauthor_test" });
    expect(serviceEnv(svc, "127.0.0.1", 41000)).toEqual({ DATABASE_URI: "mongodb://127.0.0.1:41000/autoauthor_test" });
  });
});

describe("containerWorkdir", () => {
  it("places a job under /src", () => {
    expect(containerWorkdir({ workdir: "frontend" })).toBe("/src/frontend");
    expect(containerWorkdir({ workdir: "." })).toBe("/src");
  });
});

describe("displayArgv", () => {
  it("quotes only what a shell would split", () => {
    expect(displayArgv(["pytest", "-m", "not e2e", "it's"])).toBe("pytest -m 'not e2e' 'it'\\''s'");
  });

  it("never shows the credentials of a URL (user:token@), in any argument", () => {
    const shown = displayArgv([
      "npm",
      "audit",
      "--registry",
      "https://ci-bot:npm_s3cr3t@registry.example.com/",
      "--index-url=https://tok3n@pypi.example.com/simple",
    ]);
    expect(shown).toBe(
      "npm audit --registry 'https://***@registry.example.com/' '--index-url=https://***@pypi.example.com/simple'",
    );
  });
});
