import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Job } from "../../../ci/src/plan/job";
import { preflight } from "../../../scripts/host/preflight";
import { probeSandbox } from "../../../scripts/host/sandbox";

const root = mkdtempSync(join(tmpdir(), "preflight-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * What preflight says of a frontend job needing node >=20, where PATH starts with a folder whose `node` is `script`;
 * undefined when it finds nothing wrong.
 */
async function nodeProblem(name: string, script: string, extra: NodeJS.ProcessEnv = {}): Promise<string | undefined> {
  const bin = join(root, name);
  mkdirSync(bin);
  writeFileSync(join(bin, "node"), script);
  chmodSync(join(bin, "node"), 0o755);
  const job = {
    name: "frontend",
    workdir: ".",
    tools: [{ bin: "node", range: { range: ">=20", why: "the test's pin" }, installHint: "install Node.js >=20" }],
    services: [],
  } as unknown as Job;
  const env = { ...process.env, PATH: [bin, process.env.PATH].join(delimiter), ...extra };
  return preflight([job], root, env).then(
    () => undefined,
    (e: Error) => e.message,
  );
}

describe.runIf(probeSandbox().ok)("preflight, asking each tool its version", () => {
  /**
   * The eighth hostile run: the runner asked `node --version` (npm, uv …) with its own environment, secrets and all,
   * though what such a tool loads at start (npm's code, a pyenv shim's hooks and versions) a confined repository
   * command may have written. Now it asks as a repository command does.
   */
  it("asks as a repository command: the tool never sees the runner's secrets", async () => {
    // A node whose "version" is what it was given: the secret, if it had it.
    const err = await nodeProblem("bin", '#!/bin/sh\necho "v1.0.0-[$RUNNER_SECRET_CANARY]"\n', {
      RUNNER_SECRET_CANARY: "s3cr3t",
    });
    expect(err).toContain("node v1.0.0-[] is not in >=20");
  });

  it("says when a tool's --version does not answer, with its exit code and first line, not an empty version", async () => {
    const err = await nodeProblem("broken-bin", '#!/bin/sh\necho "node: cannot load its library" >&2\nexit 3\n');
    expect(err).toContain(
      "frontend: node --version did not answer (exit 3: node: cannot load its library); install Node.js >=20",
    );
  });
});
