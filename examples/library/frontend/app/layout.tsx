import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Library",
  description: "Books, loans and who wrote what.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header>
          <nav data-testid="nav">
            <Link href="/" data-testid="nav-home">
              Home
            </Link>
            <Link href="/authors" data-testid="nav-authors">
              Authors
            </Link>
          </nav>
        </header>
        <main data-testid="main">{children}</main>
      </body>
    </html>
  );
}
