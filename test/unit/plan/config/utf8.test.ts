import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { decodeUtf8, firstInvalidUtf8 } from "../../../../ci/src/plan/config/utf8";

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("firstInvalidUtf8", () => {
  it("accepts ASCII, 2-, 3- and 4-byte characters", () => {
    expect(firstInvalidUtf8(new TextEncoder().encode("a é € 😀 \uFFFD"))).toBe(-1);
  });

  it.each([
    ["a Latin-1 é", bytes(0x61, 0xe9, 0x0a), 1],
    ["a lone 0xff", bytes(0xff), 0],
    ["a truncated sequence at the end", bytes(0x61, 0xe2, 0x82), 1],
    ["a lead byte followed by ASCII", bytes(0xc3, 0x41), 0],
    ["an overlong slash (c0 af)", bytes(0xc0, 0xaf), 0],
    ["an overlong 3-byte form (e0 80 80)", bytes(0xe0, 0x80, 0x80), 0],
    ["a UTF-16 surrogate (ed a0 80)", bytes(0xed, 0xa0, 0x80), 0],
    ["a code point above U+10FFFF (f4 90 80 80)", bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ["a stray continuation byte", bytes(0x41, 0x80), 1],
  ])("finds %s", (_, input, at) => {
    expect(firstInvalidUtf8(input)).toBe(at);
  });
});

describe("decodeUtf8", () => {
  it("returns the text of UTF-8 bytes", () => {
    expect(decodeUtf8(new TextEncoder().encode("name: café\n"), "pipeline.yaml")).toBe("name: café\n");
  });

  it("refuses other bytes, naming the byte, its offset, its line and the fix", () => {
    const input = bytes(...new TextEncoder().encode("a: 1\nb: caf"), 0xe9, 0x0a);
    expect(() => decodeUtf8(input, "pipeline.yaml")).toThrow(ConfigError);
    expect(() => decodeUtf8(input, "pipeline.yaml")).toThrow(
      "pipeline.yaml: is not UTF-8 text: byte 0xe9 at offset 11 (line 2). Fix: save the file as UTF-8",
    );
  });
});
