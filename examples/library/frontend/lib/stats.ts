/** One row of GET /api/v1/stats/authors. */
export interface AuthorStat {
  author: string;
  books: number;
  titles: string[];
  first_year: number;
}

export function isAuthorStat(value: unknown): value is AuthorStat {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.author === "string" &&
    typeof v.books === "number" &&
    Array.isArray(v.titles) &&
    v.titles.every((t) => typeof t === "string") &&
    typeof v.first_year === "number"
  );
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "Ursula K. Le Guin — 3 books since 1966: A, B, C" (titles capped at `maxTitles`). */
export function formatAuthorStat(stat: AuthorStat, maxTitles = 3): string {
  const shown = stat.titles.slice(0, maxTitles);
  const more = stat.titles.length - shown.length;
  const titles = more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
  const head = `${stat.author} — ${pluralize(stat.books, "book")} since ${stat.first_year}`;
  return titles ? `${head}: ${titles}` : head;
}

/** Totals shown above the table: how many authors and books the stats cover. */
export function summarize(stats: AuthorStat[]): string {
  if (stats.length === 0) return "No authors yet";
  const books = stats.reduce((sum, s) => sum + s.books, 0);
  return `${pluralize(stats.length, "author")}, ${pluralize(books, "book")}`;
}
