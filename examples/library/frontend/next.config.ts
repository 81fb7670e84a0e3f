import path from "node:path";
import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";

export default function config(phase: string): NextConfig {
  // NEXT_PUBLIC_* values are inlined into the client bundle at build time,
  // so a build without the API URL would ship a broken app: fail early.
  if (phase === PHASE_PRODUCTION_BUILD && !process.env.NEXT_PUBLIC_API_URL?.trim()) {
    throw new Error(
      "NEXT_PUBLIC_API_URL is not set. It is required at build time " +
        "(e.g. NEXT_PUBLIC_API_URL=http://localhost:8000 npm run build).",
    );
  }

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
