import { authorStatsUrl, buildApiUrl, fetchAuthorStats, type FetchLike } from "./api";

const row = { author: "Frank Herbert", books: 2, titles: ["Dune", "Dune Messiah"], first_year: 1965 };

function respond(status: number, body: unknown): { fetchImpl: FetchLike; calls: string[] } {
  const calls: string[] = [];
  const fetchImpl: FetchLike = async (input) => {
    calls.push(input);
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  };
  return { fetchImpl, calls };
}

describe("buildApiUrl", () => {
  it("joins base and path with exactly one slash", () => {
    expect(buildApiUrl("http://api:8000/", "/api/v1/health")).toBe("http://api:8000/api/v1/health");
    expect(buildApiUrl(" http://api:8000 ", "api/v1/health")).toBe("http://api:8000/api/v1/health");
  });

  it("returns the base alone for an empty path", () => {
    expect(buildApiUrl("http://api:8000//", "/")).toBe("http://api:8000");
  });

  it("names the variable to set when the base is empty", () => {
    expect(() => buildApiUrl("  ", "/x")).toThrow("set NEXT_PUBLIC_API_URL");
  });
});

describe("authorStatsUrl", () => {
  it("adds min_books only when it filters something", () => {
    expect(authorStatsUrl("http://api")).toBe("http://api/api/v1/stats/authors");
    expect(authorStatsUrl("http://api", 2)).toBe("http://api/api/v1/stats/authors?min_books=2");
  });
});

describe("fetchAuthorStats", () => {
  it("returns the well-formed rows of the aggregation", async () => {
    const { fetchImpl, calls } = respond(200, [row, { author: "broken" }]);
    await expect(fetchAuthorStats("http://api", 2, fetchImpl)).resolves.toEqual([row]);
    expect(calls).toEqual(["http://api/api/v1/stats/authors?min_books=2"]);
  });

  it("fails with the HTTP status when the backend answers an error", async () => {
    const { fetchImpl } = respond(503, { detail: "down" });
    await expect(fetchAuthorStats("http://api", 1, fetchImpl)).rejects.toThrow("HTTP 503");
  });

  it("fails when the body is not a list", async () => {
    const { fetchImpl } = respond(200, { author: "x" });
    await expect(fetchAuthorStats("http://api", 1, fetchImpl)).rejects.toThrow("expected a list");
  });
});
