import { ExecError, UnknownDaggerError } from "@dagger.io/dagger";
import { describe, expect, it } from "vitest";
import { isExecError } from "../../../ci/src/dagger/execError";

// The npm package's real class (the bundled module SDK throws the same one from its core.js but does not export it).
const execError = () =>
  new ExecError("exit code: 3", { cmd: ["pytest", "-q"], exitCode: 3, stdout: "1 failed", stderr: "boom" });

describe("isExecError", () => {
  it("recognises the SDK's ExecError and keeps its exit code and output readable", () => {
    const e: unknown = execError();
    expect(isExecError(e)).toBe(true);
    if (!isExecError(e)) throw new Error("unreachable");
    expect([e.exitCode, e.stdout, e.stderr, e.cmd]).toEqual([3, "1 failed", "boom", ["pytest", "-q"]]);
  });

  it("rejects other SDK errors, plain errors and look-alikes that are not Errors", () => {
    const unknown = new UnknownDaggerError("lost", { cause: new Error("socket closed") });
    const plain = Object.assign(new Error("x"), { exitCode: 1, stdout: "", stderr: "" });
    const notError = { code: "D109", exitCode: 1, stdout: "", stderr: "", cmd: [] };
    for (const e of [unknown, plain, notError, undefined, "D109"]) expect(isExecError(e)).toBe(false);
  });
});
