import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Auto-Author",
  description: "Write, organise and publish books.",
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
            <Link href="/books" data-testid="nav-books">
              Books
            </Link>
            <Link href="/about" data-testid="nav-about">
              About
            </Link>
          </nav>
        </header>
        <main data-testid="main">{children}</main>
      </body>
    </html>
  );
}
