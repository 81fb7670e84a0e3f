import { describe, expect, it } from "vitest";
import { CliInputError } from "../../../../scripts/host/cli/errors";
import { httpUrl } from "../../../../scripts/host/cli/values";

/** The message of what `fn` throws, or "" when it throws nothing. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("httpUrl", () => {
  it.each(["https://staging.example.com", "http://127.0.0.1:3000/", "https://h.example/path@v2"])("takes %s", (url) => {
    expect(httpUrl("--base-url")(url)).toBe(url);
  });

  it.each(["http://user:S3CRETPW@127.0.0.1:9", "https://S3CRETPW@staging.example.com/", "https://u:S3CRETPW@h x"])(
    "refuses %s, a URL with credentials, without printing them (before: echoed in every readiness line and the notice)",
    (url) => {
      expect(() => httpUrl("--base-url")(url)).toThrow(CliInputError);
      const message = messageOf(() => httpUrl("--base-url")(url));
      expect(message).toMatch(/--base-url carries credentials \(user:token@ in the URL\)/);
      expect(message).not.toContain("S3CRETPW");
    },
  );

  it("names a URL that is not http(s) without its credentials", () => {
    const message = messageOf(() => httpUrl("--api-url")("ftp://u:S3CRETPW@h/"));
    expect(message).toMatch(/^input error: --api-url "ftp:\/\/\*\*\*@h\/" is not an http\(s\) URL|carries credentials/);
    expect(message).not.toContain("S3CRETPW");
  });
});
