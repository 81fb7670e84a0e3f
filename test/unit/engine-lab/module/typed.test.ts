import { describe, expect, it } from "vitest";
import { firstLine } from "../../../../scripts/engine-lab/module/typed";

describe("firstLine", () => {
  it("is stdout's first line on success, without the CLI's bold codes", () => {
    const stdout = "\u001b[1mName\u001b[0m   \u001b[1mDescription\u001b[0m\nfast-tests  Run…\n";
    expect(firstLine({ exit: 0, stdout, stderr: "1   : connect\n" })).toBe("Name   Description");
  });

  it("is the CLI's error line on failure, not a progress line", () => {
    const stderr = [
      "9   : ┆ module SDK: load typedefs object ERROR [30.1s]",
      'Error: call function "DeployProduction": input error: deploy-production refused. Fix: run the E2E stage',
      "",
    ].join("\n");
    expect(firstLine({ exit: 1, stdout: "", stderr })).toMatch(
      /^Error: call function .*input error: deploy-production/,
    );
  });
});
