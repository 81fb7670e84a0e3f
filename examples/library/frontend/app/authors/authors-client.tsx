"use client";

import { useEffect, useState } from "react";
import { fetchAuthorStats } from "@/lib/api";
import { formatAuthorStat, summarize, type AuthorStat } from "@/lib/stats";

type State = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; stats: AuthorStat[] };

/** Fetches GET /api/v1/stats/authors in the browser, so the build never needs the backend. */
export default function AuthorsClient({ apiUrl }: { apiUrl: string }) {
  const [state, setState] = useState<State>({ status: "loading" });

  useEffect(() => {
    let cancelled = false;
    fetchAuthorStats(apiUrl).then(
      (stats) => !cancelled && setState({ status: "ready", stats }),
      (err: unknown) =>
        !cancelled && setState({ status: "error", message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [apiUrl]);

  if (state.status === "loading") return <p data-testid="authors-loading">Loading authors…</p>;
  if (state.status === "error") {
    return (
      <p className="error" role="alert" data-testid="authors-error">
        {state.message}
      </p>
    );
  }
  return (
    <>
      <p data-testid="authors-summary">{summarize(state.stats)}</p>
      <ul data-testid="authors-list">
        {state.stats.map((stat) => (
          <li key={stat.author} data-testid="author-item">
            {formatAuthorStat(stat)}
          </li>
        ))}
      </ul>
    </>
  );
}
