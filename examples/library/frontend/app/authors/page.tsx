import type { Metadata } from "next";
import AuthorsClient from "./authors-client";

export const metadata: Metadata = { title: "Authors | Library" };

export default function AuthorsPage() {
  return (
    <section data-testid="authors">
      <h1 data-testid="authors-title">Authors</h1>
      <AuthorsClient apiUrl={process.env.NEXT_PUBLIC_API_URL ?? ""} />
    </section>
  );
}
