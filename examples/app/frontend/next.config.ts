import path from "node:path";
import type { NextConfig } from "next";

export default function config(): NextConfig {
  // No NEXT_PUBLIC_* setting: those are inlined into the build, and one build goes from staging to production. The
  // API's URL is read when a page is served (API_URL), or the API is on the page's own origin.

  // Pin the project root to this directory so a parent folder's lockfile is
  // never taken as the workspace root: .next/standalone/server.js then sits at
  // the top of the standalone output.
  const root = path.resolve(__dirname);

  return {
    output: "standalone",
    outputFileTracingRoot: root,
    turbopack: { root },
    reactStrictMode: true,
    poweredByHeader: false,
  };
}
