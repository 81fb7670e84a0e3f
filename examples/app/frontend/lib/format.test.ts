import { describe, expect, it } from "vitest";
import { formatBook, formatBookCount } from "./format";

describe("formatBook", () => {
  it("renders title and author", () => {
    expect(formatBook({ title: "Dune", author: "Frank Herbert" })).toBe("Dune by Frank Herbert");
  });
});

describe("formatBookCount", () => {
  it.each([
    [0, "No books yet"],
    [-3, "No books yet"],
    [Number.NaN, "No books yet"],
    [1, "1 book"],
    [2, "2 books"],
    [3.7, "3 books"],
  ])("formats %s", (n, expected) => {
    expect(formatBookCount(n)).toBe(expected);
  });
});
