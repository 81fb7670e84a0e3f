"use client";

import { useEffect, useState, type FormEvent } from "react";
import { createBook, fetchBooks, type Book } from "@/lib/api";
import { formatBook, formatBookCount } from "@/lib/format";
import { validateBook, type BookErrors } from "@/lib/validation";

type Status = "loading" | "ready" | "error";

export default function BooksClient({ apiUrl }: { apiUrl: string }) {
  const [books, setBooks] = useState<Book[]>([]);
  const [status, setStatus] = useState<Status>("loading");
  const [loadError, setLoadError] = useState("");
  const [title, setTitle] = useState("");
  const [author, setAuthor] = useState("");
  const [fieldErrors, setFieldErrors] = useState<BookErrors>({});
  const [submitError, setSubmitError] = useState("");
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    let cancelled = false;
    fetchBooks(apiUrl).then(
      (list) => {
        if (cancelled) return;
        setBooks(list);
        setStatus("ready");
      },
      (err: unknown) => {
        if (cancelled) return;
        setLoadError(err instanceof Error ? err.message : String(err));
        setStatus("error");
      },
    );
    return () => {
      cancelled = true;
    };
  }, [apiUrl]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = validateBook({ title, author });
    setFieldErrors(result.errors);
    setSubmitError("");
    if (!result.valid) return;

    setSubmitting(true);
    try {
      const created = await createBook(apiUrl, result.value);
      setBooks((prev) => [...prev, created]);
      setStatus("ready");
      setTitle("");
      setAuthor("");
    } catch (err) {
      setSubmitError(err instanceof Error ? err.message : String(err));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <>
      {status === "loading" && <p data-testid="books-loading">Loading books…</p>}
      {status === "error" && (
        <p className="error" role="alert" data-testid="books-error">
          {loadError}
        </p>
      )}
      {status === "ready" && (
        <>
          <p data-testid="books-count">{formatBookCount(books.length)}</p>
          <ul data-testid="books-list">
            {books.map((book) => (
              <li key={book.id} data-testid="book-item">
                {formatBook(book)}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Add a book</h2>
      <form onSubmit={onSubmit} noValidate data-testid="book-form">
        <label htmlFor="book-title">Title</label>
        <input
          id="book-title"
          name="title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          data-testid="book-title-input"
        />
        {fieldErrors.title && (
          <span className="error" data-testid="book-title-error">
            {fieldErrors.title}
          </span>
        )}
        <label htmlFor="book-author">Author</label>
        <input
          id="book-author"
          name="author"
          value={author}
          onChange={(e) => setAuthor(e.target.value)}
          data-testid="book-author-input"
        />
        {fieldErrors.author && (
          <span className="error" data-testid="book-author-error">
            {fieldErrors.author}
          </span>
        )}
        <button type="submit" disabled={submitting} data-testid="book-submit">
          {submitting ? "Adding…" : "Add book"}
        </button>
        {submitError && (
          <p className="error" role="alert" data-testid="book-submit-error">
            {submitError}
          </p>
        )}
      </form>
    </>
  );
}
