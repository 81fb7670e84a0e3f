import type { Metadata } from "next";
import BooksClient from "./books-client";

export const metadata: Metadata = { title: "Books | Auto-Author" };

// Read API_URL when the page is served, not at build time (a NEXT_PUBLIC_* value would be baked into the build):
// one build is promoted from staging to production. Unset, the browser calls the API on the page's own origin.
export const dynamic = "force-dynamic";

export default function BooksPage() {
  return (
    <section data-testid="books">
      <h1 data-testid="books-title">Books</h1>
      <BooksClient apiUrl={process.env.API_URL ?? ""} />
    </section>
  );
}
