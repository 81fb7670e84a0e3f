import type { Metadata } from "next";

export const metadata: Metadata = { title: "About | Auto-Author" };

export default function AboutPage() {
  return (
    <section data-testid="about">
      <h1 data-testid="about-title">About</h1>
      <p data-testid="about-text">
        Auto-Author is a small example application: a Next.js frontend talking to a JSON API
        for books. It exists to exercise the CI/CD pipeline end to end.
      </p>
    </section>
  );
}
