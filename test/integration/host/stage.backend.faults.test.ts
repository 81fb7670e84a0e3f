import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../support/cli";
import { copyExample } from "../../support/example";
import { webhookReceiver } from "../../support/webhookReceiver";

/** Each fault is written for real into a temporary copy of the example; the run must fail naming the job and why. */
async function backendWith(fault: (dir: string) => void, env: NodeJS.ProcessEnv = process.env) {
  const copy = copyExample();
  try {
    fault(copy.dir);
    return await runPipeline(["backend-tests", "--source", copy.dir], env);
  } finally {
    copy.remove();
  }
}

const UNTESTED = Array.from(
  { length: 60 },
  (_, i) => `def untested_${i}(x):\n    if x > ${i}:\n        return x - ${i}\n    return ${i}\n`,
).join("\n");

describe("backend-tests on a broken backend", () => {
  it("fails when coverage drops below the threshold, prints the figure and raises a coverage-drop warning", async () => {
    const hook = await webhookReceiver();
    // A webhook URL with quotes, $, spaces and a second line: it must reach no output.
    const url = `${hook.url}/hooks/T0K3N?q="a b"&x=$HOME`;
    const env = { ...process.env, ALERT_WEBHOOK_WARNING: `${url}\nhttp://127.0.0.1:9/down` };
    const r = await backendWith((app) => writeFileSync(join(app, "backend/app/untested.py"), UNTESTED), env).finally(
      () => hook.close(),
    );
    expect(r.exitCode).toBe(1);
    expect(hook.got.map((g) => g.body.event)).toEqual(["coverage-drop", "webhook-down"]);
    expect(hook.got[0].body.text).toMatch(/^\[warning\] coverage-drop: backend coverage \d+\.\d+% is below 85%$/);
    expect(r.output).not.toContain("T0K3N");
    expect(r.output).not.toContain("127.0.0.1:9");
    expect(r.stdout).toMatch(/backend\s+FAILED\s+.*step pytest: exit 1/);
    expect(r.stderr).toMatch(
      /backend failed at pytest:[\s\S]*Required test coverage of 85% not reached\. Total coverage: \d+\.\d+%/,
    );
  }, 120_000);

  it("fails on a failing pytest", async () => {
    const r = await backendWith((app) =>
      writeFileSync(
        join(app, "backend/tests/test_injected.py"),
        "def test_fails_on_purpose():\n    assert 1 + 1 == 3\n",
      ),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/backend failed at pytest:[\s\S]*FAILED tests\/test_injected\.py::test_fails_on_purpose/);
  }, 120_000);

  it("fails when the MongoDB server does not start, with its own words", async () => {
    // FerretDB (or mongod) given a flag it refuses: the real server exits at start.
    const r = await backendWith((app) =>
      writeFileSync(
        join(app, "pipeline.yaml"),
        "services:\n  mongo:\n    hostCommands:\n      - { bin: ferretdb, args: ['--handler=no-such-backend', '--listen-addr=127.0.0.1:{port}'] }\n",
      ),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /backend\s+FAILED\s+.*step service mongo: mongo service \(ferretdb\) exited with code \d+ on 127\.0\.0\.1:\d+/,
    );
    expect(r.stderr).toMatch(/backend failed at service mongo:[\s\S]*no-such-backend/);
  }, 120_000);
});
