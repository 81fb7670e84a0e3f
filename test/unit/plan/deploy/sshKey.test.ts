import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  NORMALISED_KEY,
  normalisePrivateKey,
  pastedKeyProblem,
  withNormalisedKey,
} from "../../../../ci/src/plan/deploy/sshKey";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\nNzaC1r\n-----END OPENSSH PRIVATE KEY-----\n";

describe("normalisePrivateKey", () => {
  it.each([
    ["without the trailing newline", KEY.trimEnd()],
    ["with CRLF line ends", KEY.replaceAll("\n", "\r\n")],
    ["with trailing blanks and blank lines", `${KEY.replaceAll("\n", "  \n")}\n\n`],
    ["as OpenSSH wrote it", KEY],
  ])("gives OpenSSH's form for a key %s", (_, given) => {
    expect(normalisePrivateKey(given)).toBe(KEY);
  });
});

describe("withNormalisedKey", () => {
  it("keeps the key out of argv: the shell reads the mounted file, then runs the command unchanged", () => {
    const argv = withNormalisedKey("/run/e2e/ssh_key", ["ssh", "-i", NORMALISED_KEY, "host"]);
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv.slice(3)).toEqual(["sh", "/run/e2e/ssh_key", "ssh", "-i", NORMALISED_KEY, "host"]);
  });

  it.each([
    ["without the trailing newline", KEY.trimEnd()],
    ["with CRLF line ends and no final newline", KEY.replaceAll("\n", "\r\n").trimEnd()],
  ])("writes what normalisePrivateKey gives, with a real shell and awk, for a key %s", (_, given) => {
    const dir = mkdtempSync(join(tmpdir(), "key-"));
    writeFileSync(join(dir, "given"), given);
    const [, , script, ...rest] = withNormalisedKey(join(dir, "given"), ["cat", join(dir, "id")]);
    const out = execFileSync("sh", ["-c", script.replace(NORMALISED_KEY, join(dir, "id")), ...rest], {
      encoding: "utf8",
    });
    expect(out).toBe(KEY);
    expect(readFileSync(join(dir, "id"), "utf8")).toBe(normalisePrivateKey(given));
  });
});

describe("pastedKeyProblem", () => {
  const block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n";
  it.each(["/home/ci/.ssh/id_ed25519", "~/.ssh/id_ed25519", "./deploy_key\n", "../keys/deploy"])(
    "takes %j for a path and names the variable that takes one",
    (text) => {
      expect(pastedKeyProblem(text, "STAGING_SSH_KEY_FILE")).toEqual({
        problem: "holds a file's path, not the key's text",
        fix: "set STAGING_SSH_KEY_FILE to the path instead",
      });
    },
  );

  it("counts the keys pasted one after the other", () => {
    expect(pastedKeyProblem(`${block}${block}\r\n${block}`, "X")?.problem).toBe("holds 3 private keys");
  });

  it.each([block, "ghp_0123456789abcdef", "not a key at all", "/path with a space"])(
    "leaves %j to ssh-keygen to judge",
    (text) => {
      expect(pastedKeyProblem(text, "X")).toBeUndefined();
    },
  );
});
