import { describe, expect, it } from "vitest";
import { hasCredentials, hideCredentials } from "../../../ci/src/plan/credentials";

describe("hideCredentials", () => {
  it.each([
    ["https://u:tok@h.example/x", "https://***@h.example/x"],
    ["--index-url=https://tok@pypi.example/simple", "--index-url=https://***@pypi.example/simple"],
    ["a http://:p@a/ and https://b:c@d/", "a http://***@a/ and https://***@d/"],
    ["https:\\\\u:t@h/", "https:\\\\***@h/"],
    ["https://h.example/path@v2", "https://h.example/path@v2"],
    ["pnpm@10.12.1", "pnpm@10.12.1"],
  ])("shows %j as %j", (text, shown) => {
    expect(hideCredentials(text)).toBe(shown);
    expect(hasCredentials(text)).toBe(text !== shown);
  });
});
