export interface Book {
  id: number | string;
  title: string;
  author: string;
}

export interface NewBook {
  title: string;
  author: string;
}

/**
 * Joins the API base URL and a path, tolerating stray slashes on either side. An empty base means the API is on the
 * page's own origin (nginx routes /api/ to the backend), so the same build runs on staging and production.
 */
export function buildApiUrl(baseUrl: string, path: string): string {
  const base = baseUrl.trim().replace(/\/+$/, "");
  const cleanPath = path.replace(/^\/+/, "");
  return cleanPath ? `${base}/${cleanPath}` : base || "/";
}

export function booksUrl(baseUrl: string): string {
  return buildApiUrl(baseUrl, "/api/v1/books");
}

export function isBook(value: unknown): value is Book {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (typeof v.id === "number" || typeof v.id === "string") &&
    typeof v.title === "string" &&
    typeof v.author === "string"
  );
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export async function fetchBooks(baseUrl: string, fetchImpl: FetchLike = fetch): Promise<Book[]> {
  const res = await fetchImpl(booksUrl(baseUrl), { headers: { Accept: "application/json" } });
  if (!res.ok) {
    throw new Error(`Failed to load books (HTTP ${res.status})`);
  }
  const data: unknown = await res.json();
  if (!Array.isArray(data)) {
    throw new Error("Unexpected response: expected a list of books");
  }
  return data.filter(isBook);
}

export async function createBook(
  baseUrl: string,
  book: NewBook,
  fetchImpl: FetchLike = fetch,
): Promise<Book> {
  const res = await fetchImpl(booksUrl(baseUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(book),
  });
  if (!res.ok) {
    throw new Error(`Failed to create book (HTTP ${res.status})`);
  }
  const data: unknown = await res.json();
  if (!isBook(data)) {
    throw new Error("Unexpected response: expected a book");
  }
  return data;
}
