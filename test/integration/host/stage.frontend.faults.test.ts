import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipeline } from "../../support/cli";
import { copyExample } from "../../support/example";

/** Each fault is written for real into a temporary copy of the example; the run must fail naming the job and why. */
async function frontendWith(fault: (dir: string) => void) {
  const copy = copyExample();
  try {
    fault(join(copy.dir, "frontend"));
    return await runPipeline(["frontend-checks", "--source", copy.dir]);
  } finally {
    copy.remove();
  }
}

describe("frontend-checks on a broken frontend", () => {
  it("fails at lint on a lint error", async () => {
    const r = await frontendWith((fe) =>
      writeFileSync(
        join(fe, "lib/probe.tsx"),
        'import { useState } from "react";\nexport function Probe({ on }: { on: boolean }) {\n  if (on) {\n    const [v] = useState(0);\n    return <p>{v}</p>;\n  }\n  return null;\n}\n',
      ),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/frontend\s+FAILED\s+.*step lint: exit 1/);
    expect(r.stderr).toMatch(/frontend failed at lint:[\s\S]*react-hooks\/rules-of-hooks/);
  }, 240_000);

  it("fails at typecheck on a type error", async () => {
    const r = await frontendWith((fe) =>
      writeFileSync(join(fe, "lib/probe.ts"), 'export const answer: number = "forty-two";\n'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/frontend\s+FAILED\s+.*step typecheck: exit \d/);
    expect(r.stderr).toMatch(/frontend failed at typecheck:[\s\S]*lib\/probe\.ts.*error TS2322/);
  }, 240_000);

  it("fails at unit on a failing unit test", async () => {
    const r = await frontendWith((fe) =>
      appendFileSync(
        join(fe, "lib/format.test.ts"),
        '\ndescribe("injected", () => {\n  it("fails on purpose", () => {\n    expect(1 + 1).toBe(3);\n  });\n});\n',
      ),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/frontend\s+FAILED\s+.*step unit: exit 1/);
    expect(r.stderr).toMatch(/frontend failed at unit:[\s\S]*fails on purpose/);
  }, 240_000);
});

describe("frontend-checks on a build that needs the network", () => {
  it("says in one line under the table that next/font fetched Google Fonts offline, and how to fix it", async () => {
    const r = await frontendWith((fe) => {
      const layout = join(fe, "app/layout.tsx");
      const text = readFileSync(layout, "utf8");
      writeFileSync(
        layout,
        `import { Inter } from "next/font/google";\nconst inter = Inter({ subsets: ["latin"] });\nexport const fontClass = inter.className;\n${text}`,
      );
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/frontend\s+FAILED\s+.*step build: exit 1/);
    expect(r.stdout).toMatch(
      /^frontend: the build fetched from the network \(Google Fonts through next\/font\).*next\/font\/local/m,
    );
  }, 480_000);
});
