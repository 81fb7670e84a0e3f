import Link from "next/link";

export default function HomePage() {
  return (
    <section data-testid="home">
      <h1 data-testid="home-title">Auto-Author</h1>
      <p data-testid="home-intro">
        Auto-Author helps you plan, draft and organise your books in one place.
      </p>
      <ul>
        <li>
          <Link href="/books" data-testid="home-link-books">
            Browse and add books
          </Link>
        </li>
        <li>
          <Link href="/about" data-testid="home-link-about">
            About Auto-Author
          </Link>
        </li>
      </ul>
    </section>
  );
}
