import { isAuthorStat, type AuthorStat } from "./stats";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Joins the API base URL and a path, tolerating stray slashes on either side. */
export function buildApiUrl(baseUrl: string, path: string): string {
  const base = baseUrl.trim().replace(/\/+$/, "");
  if (!base) {
    throw new Error("API base URL is empty: set NEXT_PUBLIC_API_URL");
  }
  const cleanPath = path.replace(/^\/+/, "");
  return cleanPath ? `${base}/${cleanPath}` : base;
}

export function authorStatsUrl(baseUrl: string, minBooks = 1): string {
  const url = buildApiUrl(baseUrl, "/api/v1/stats/authors");
  return minBooks > 1 ? `${url}?min_books=${minBooks}` : url;
}

/** Loads the per-author aggregation from the backend; drops malformed rows. */
export async function fetchAuthorStats(
  baseUrl: string,
  minBooks = 1,
  fetchImpl: FetchLike = fetch,
): Promise<AuthorStat[]> {
  const res = await fetchImpl(authorStatsUrl(baseUrl, minBooks), {
    headers: { Accept: "application/json" },
    cache: "no-store",
  });
  if (!res.ok) {
    throw new Error(`Failed to load author stats (HTTP ${res.status})`);
  }
  const data: unknown = await res.json();
  if (!Array.isArray(data)) {
    throw new Error("Unexpected response: expected a list of author stats");
  }
  return data.filter(isAuthorStat);
}
