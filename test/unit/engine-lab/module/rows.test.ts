import { describe, expect, it } from "vitest";
import { call } from "../../../../scripts/engine-lab/module/rows";

describe("call", () => {
  it("puts the constructor's flags before the function and the chain after the function's own", () => {
    expect(call("init", [["source", "/tmp/app"]], ["export", "--path", "p.yaml"])).toEqual([
      "call",
      "--source",
      "/tmp/app",
      "init",
      "export",
      "--path",
      "p.yaml",
    ]);
    expect(
      call("fast-tests", [
        ["base", "abc"],
        ["config", "ci.yaml"],
      ]),
    ).toEqual(["call", "--config", "ci.yaml", "fast-tests", "--base", "abc"]);
  });
});
