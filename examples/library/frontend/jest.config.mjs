import nextJest from "next/jest.js";

// next/jest transforms TypeScript with Next's bundled SWC (no Babel, no network)
// and loads next.config.ts and .env files the way `next build` does.
const createJestConfig = nextJest({ dir: "./" });

/** @type {import("jest").Config} */
const config = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/lib/**/*.test.ts"],
  moduleNameMapper: { "^@/(.*)$": "<rootDir>/$1" },
  collectCoverageFrom: ["lib/**/*.ts", "!lib/**/*.test.ts"],
  coverageProvider: "v8",
  coverageReporters: ["text", "json-summary", "lcov"],
  coverageThreshold: {
    global: { lines: 90, functions: 90, branches: 85, statements: 90 },
  },
};

export default createJestConfig(config);
