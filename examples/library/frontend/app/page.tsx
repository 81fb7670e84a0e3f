import Link from "next/link";

export default function HomePage() {
  return (
    <section data-testid="home">
      <h1 data-testid="home-title">Library</h1>
      <p>Keep track of your books and who borrowed them.</p>
      <Link href="/authors" data-testid="home-link-authors">
        Authors by number of books
      </Link>
    </section>
  );
}
