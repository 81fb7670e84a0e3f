import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CONFINED } from "../../../scripts/deploy/context";

/** CONFINED in a task's `set -u` bash: server.json's confine before the command, or nothing, whatever bash has. */
describe("CONFINED", () => {
  const run = (setup: string) =>
    spawnSync("bash", ["-c", `set -euo pipefail\n${setup}\nprintf '<%s>' ${CONFINED} cmd arg`], { encoding: "utf8" });

  it.each([
    ["server.json names one", "confine=('/srv/bin/con fine')", "</srv/bin/con fine><cmd><arg>"],
    ["it names none (an empty array)", "confine=()", "<cmd><arg>"],
    ["the task's shell never set it", "", "<cmd><arg>"],
  ])("puts the prefix before the command when %s", (_, setup, out) => {
    const r = run(setup);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(out);
  });
});
