import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../../../ci/src/plan/shellQuote";

const WORDS = ["plain", "", "a b", "it's", `"q" $HOME \`id\` $(id) \\ *`, "line\nbreak", "/lost+found", "-n", "é ✓"];

describe("shellQuote", () => {
  it.each(["sh", "bash"])("gives %s back every word as it was", (shell) => {
    // printf prints each argument between NULs: the words the shell split the quoted line into.
    const line = `printf '%s\\0' ${WORDS.map(shellQuote).join(" ")}`;
    const r = spawnSync(shell, ["-c", line], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\0").slice(0, -1)).toEqual(WORDS);
  });

  it("leaves a word of safe characters plain, so logs read as typed", () => {
    expect(shellQuote("releases/20261206T000300Z-ddddddd")).toBe("releases/20261206T000300Z-ddddddd");
    expect(shellQuote("a b")).toBe("'a b'");
  });
});
