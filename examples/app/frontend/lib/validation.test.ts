import { describe, expect, it } from "vitest";
import { MAX_AUTHOR_LENGTH, MAX_TITLE_LENGTH, validateBook } from "./validation";

describe("validateBook", () => {
  it("accepts and trims valid input", () => {
    const r = validateBook({ title: "  Dune ", author: " Frank Herbert  " });
    expect(r.valid).toBe(true);
    expect(r.errors).toEqual({});
    expect(r.value).toEqual({ title: "Dune", author: "Frank Herbert" });
  });

  it("requires title and author", () => {
    const r = validateBook({ title: "   ", author: undefined });
    expect(r.valid).toBe(false);
    expect(r.errors.title).toBe("Title is required");
    expect(r.errors.author).toBe("Author is required");
  });

  it("treats non-string input as missing", () => {
    const r = validateBook({ title: 42, author: null });
    expect(r.valid).toBe(false);
    expect(r.value).toEqual({ title: "", author: "" });
  });

  it("limits lengths", () => {
    const r = validateBook({
      title: "t".repeat(MAX_TITLE_LENGTH + 1),
      author: "a".repeat(MAX_AUTHOR_LENGTH + 1),
    });
    expect(r.valid).toBe(false);
    expect(r.errors.title).toMatch(/at most/);
    expect(r.errors.author).toMatch(/at most/);
  });
});
