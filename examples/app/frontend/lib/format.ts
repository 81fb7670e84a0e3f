import type { Book } from "./api";

/** "Title by Author" */
export function formatBook(book: Pick<Book, "title" | "author">): string {
  return `${book.title} by ${book.author}`;
}

/** "No books yet", "1 book", "3 books" */
export function formatBookCount(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return "No books yet";
  const n = Math.floor(count);
  return n === 1 ? "1 book" : `${n} books`;
}
