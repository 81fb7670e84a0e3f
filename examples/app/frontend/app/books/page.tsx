import type { Metadata } from "next";
import BooksClient from "./books-client";

export const metadata: Metadata = { title: "Books | Auto-Author" };

export default function BooksPage() {
  return (
    <section data-testid="books">
      <h1 data-testid="books-title">Books</h1>
      <BooksClient apiUrl={process.env.NEXT_PUBLIC_API_URL ?? ""} />
    </section>
  );
}
