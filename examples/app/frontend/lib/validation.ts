import type { NewBook } from "./api";

export const MAX_TITLE_LENGTH = 200;
export const MAX_AUTHOR_LENGTH = 100;

export type BookErrors = Partial<Record<keyof NewBook, string>>;

export interface ValidationResult {
  valid: boolean;
  value: NewBook;
  errors: BookErrors;
}

/** Trims and validates user input for a new book. */
export function validateBook(input: { title?: unknown; author?: unknown }): ValidationResult {
  const title = typeof input.title === "string" ? input.title.trim() : "";
  const author = typeof input.author === "string" ? input.author.trim() : "";
  const errors: BookErrors = {};

  if (!title) {
    errors.title = "Title is required";
  } else if (title.length > MAX_TITLE_LENGTH) {
    errors.title = `Title must be at most ${MAX_TITLE_LENGTH} characters`;
  }

  if (!author) {
    errors.author = "Author is required";
  } else if (author.length > MAX_AUTHOR_LENGTH) {
    errors.author = `Author must be at most ${MAX_AUTHOR_LENGTH} characters`;
  }

  return { valid: Object.keys(errors).length === 0, value: { title, author }, errors };
}
