import { formatAuthorStat, isAuthorStat, pluralize, summarize, type AuthorStat } from "./stats";

const leGuin: AuthorStat = {
  author: "Ursula K. Le Guin",
  books: 4,
  titles: ["A Wizard of Earthsea", "The Left Hand of Darkness", "The Dispossessed", "Tehanu"],
  first_year: 1968,
};

describe("isAuthorStat", () => {
  it("accepts a well-formed row", () => {
    expect(isAuthorStat(leGuin)).toBe(true);
  });

  it.each([
    null,
    "row",
    {},
    { ...leGuin, author: 1 },
    { ...leGuin, books: "4" },
    { ...leGuin, titles: "A" },
    { ...leGuin, titles: ["A", 2] },
    { ...leGuin, first_year: undefined },
  ])("rejects %p", (value) => {
    expect(isAuthorStat(value)).toBe(false);
  });
});

describe("pluralize", () => {
  it("uses the singular for one and the plural otherwise", () => {
    expect(pluralize(1, "book")).toBe("1 book");
    expect(pluralize(0, "book")).toBe("0 books");
    expect(pluralize(2, "copy", "copies")).toBe("2 copies");
  });
});

describe("formatAuthorStat", () => {
  it("caps the titles and says how many more there are", () => {
    expect(formatAuthorStat(leGuin)).toBe(
      "Ursula K. Le Guin — 4 books since 1968: A Wizard of Earthsea, The Left Hand of Darkness, " +
        "The Dispossessed and 1 more",
    );
  });

  it("lists every title when they fit", () => {
    const stat = { author: "Frank Herbert", books: 1, titles: ["Dune"], first_year: 1965 };
    expect(formatAuthorStat(stat)).toBe("Frank Herbert — 1 book since 1965: Dune");
  });

  it("omits the colon when there are no titles", () => {
    const stat = { author: "Anon", books: 0, titles: [], first_year: 2000 };
    expect(formatAuthorStat(stat)).toBe("Anon — 0 books since 2000");
  });
});

describe("summarize", () => {
  it("says when there is nothing yet", () => {
    expect(summarize([])).toBe("No authors yet");
  });

  it("counts authors and their books", () => {
    const herbert = { author: "Frank Herbert", books: 1, titles: ["Dune"], first_year: 1965 };
    expect(summarize([leGuin, herbert])).toBe("2 authors, 5 books");
  });
});
