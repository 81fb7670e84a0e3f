import { describe, expect, it, vi } from "vitest";
import { buildApiUrl, booksUrl, createBook, fetchBooks, isBook } from "./api";

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

describe("buildApiUrl", () => {
  it("joins base and path with a single slash", () => {
    expect(buildApiUrl("http://api:8000", "/api/v1/books")).toBe("http://api:8000/api/v1/books");
    expect(buildApiUrl("http://api:8000/", "api/v1/books")).toBe("http://api:8000/api/v1/books");
    expect(buildApiUrl(" http://api:8000// ", "//x")).toBe("http://api:8000/x");
  });

  it("returns the base when the path is empty", () => {
    expect(buildApiUrl("http://api:8000/", "")).toBe("http://api:8000");
  });

  it("gives a same-origin path when the base URL is empty", () => {
    expect(buildApiUrl("  ", "/api/v1/books")).toBe("/api/v1/books");
    expect(buildApiUrl("", "")).toBe("/");
  });

  it("builds the books URL", () => {
    expect(booksUrl("https://example.test")).toBe("https://example.test/api/v1/books");
  });
});

describe("isBook", () => {
  it("accepts well-formed books", () => {
    expect(isBook({ id: 1, title: "T", author: "A" })).toBe(true);
    expect(isBook({ id: "x", title: "T", author: "A" })).toBe(true);
  });

  it("rejects malformed values", () => {
    expect(isBook(null)).toBe(false);
    expect(isBook("book")).toBe(false);
    expect(isBook({ id: true, title: "T", author: "A" })).toBe(false);
    expect(isBook({ id: 1, title: 2, author: "A" })).toBe(false);
    expect(isBook({ id: 1, title: "T" })).toBe(false);
  });
});

describe("fetchBooks", () => {
  it("GETs the books URL and keeps only valid books", async () => {
    const fetchImpl = vi.fn(async () =>
      jsonResponse([{ id: 1, title: "Dune", author: "Herbert" }, { bogus: true }]),
    );
    const books = await fetchBooks("http://api", fetchImpl);
    expect(books).toEqual([{ id: 1, title: "Dune", author: "Herbert" }]);
    expect(fetchImpl).toHaveBeenCalledWith("http://api/api/v1/books", expect.any(Object));
  });

  it("throws on HTTP errors", async () => {
    await expect(fetchBooks("http://api", async () => jsonResponse({}, 500))).rejects.toThrow(
      /HTTP 500/,
    );
  });

  it("throws when the body is not a list", async () => {
    await expect(fetchBooks("http://api", async () => jsonResponse({}))).rejects.toThrow(/list/);
  });
});

describe("createBook", () => {
  it("POSTs JSON and returns the created book", async () => {
    const fetchImpl = vi.fn(async (_url: string, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { title: string; author: string };
      return jsonResponse({ id: 7, ...body }, 201);
    });
    const book = await createBook("http://api/", { title: "Emma", author: "Austen" }, fetchImpl);
    expect(book).toEqual({ id: 7, title: "Emma", author: "Austen" });
    const [url, init] = fetchImpl.mock.calls[0];
    expect(url).toBe("http://api/api/v1/books");
    expect(init?.method).toBe("POST");
  });

  it("throws on HTTP errors", async () => {
    await expect(
      createBook("http://api", { title: "a", author: "b" }, async () => jsonResponse({}, 422)),
    ).rejects.toThrow(/HTTP 422/);
  });

  it("throws when the response is not a book", async () => {
    await expect(
      createBook("http://api", { title: "a", author: "b" }, async () => jsonResponse({ ok: 1 })),
    ).rejects.toThrow(/expected a book/);
  });
});
