import { describe, expect, it } from "vitest";
import { redactAll } from "../../../ci/src/plan/redact";

describe("redactAll", () => {
  it("removes secrets in plain and URL-encoded form", () => {
    const secret = 'https://hooks/T0"k en$1';
    expect(redactAll(`a ${secret} b ${encodeURI(secret)} c ${encodeURIComponent(secret)}`, [secret])).toBe(
      "a *** b *** c ***",
    );
  });

  it("hides a secret that holds a shorter one whole, whichever comes first in the list", () => {
    const short = "hooks.example/abcd";
    const long = "https://hooks.example/abcd/T0-long-tail";
    for (const secrets of [
      [short, long],
      [long, short],
    ]) {
      const out = redactAll(`posting to ${long} failed`, secrets);
      expect(out).toBe("posting to *** failed");
      expect(out).not.toContain("T0-long-tail");
    }
  });

  it("hides each line of a multi-line secret and its trimmed form", () => {
    const secret = "  line-one-s3cret\nline-two $x 'q'  ";
    const out = redactAll("got line-one-s3cret then line-two $x 'q' end", [secret]);
    expect(out).toBe("got *** then *** end");
  });

  it("leaves a text without secrets, and ignores values shorter than four characters", () => {
    expect(redactAll("no secret here", ["abc", "", "zzzz"])).toBe("no secret here");
  });
});
