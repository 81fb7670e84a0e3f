import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CANNOT_START, processExecutor, runProcess } from "../../../scripts/host/exec";

const dir = mkdtempSync(join(tmpdir(), "exec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const step = (argv: string[]) => ({ name: "probe", argv }) as Parameters<typeof processExecutor>[0];

describe("host processes", () => {
  it("streams both outputs and returns the exit code", async () => {
    const chunks: string[] = [];
    const r = await processExecutor(step(["sh", "-c", "echo out; echo err >&2; exit 3"]), dir, process.env, (s) =>
      chunks.push(s),
    );
    expect(r.exitCode).toBe(3);
    expect(chunks.join("")).toContain("out\n");
    expect(r.output).toContain("err\n");
  });

  it("an argument list the system refuses (E2BIG) exits 127 saying so, not a TypeError", async () => {
    const big = Array.from({ length: 20 }, () => "x".repeat(200_000));
    const r = await processExecutor(step(["echo", ...big]), dir, process.env, () => {});
    expect(r.exitCode).toBe(CANNOT_START);
    expect(r.output).toMatch(
      /^could not start echo: its 21 arguments are \d+ bytes, more than the system takes\. Fix: /,
    );
  });

  it("a working folder that does not exist exits 127 naming it", async () => {
    const gone = join(dir, "no-such-folder");
    const r = await runProcess(["true"], gone, process.env);
    expect(r.exitCode).toBe(CANNOT_START);
    expect(r.stderr).toContain(
      `its working folder ${JSON.stringify(gone)} does not exist. Fix: check the config's paths`,
    );
  });

  it("a signalled process is no start failure: its code stays a failure other than 127", async () => {
    const r = await runProcess(["sh", "-c", "kill -TERM $$"], dir, process.env);
    expect(r.exitCode).not.toBe(0);
    expect(r.exitCode).not.toBe(CANNOT_START);
  });
});
