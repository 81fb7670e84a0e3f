import { expect, test } from "@playwright/test";

// Talks to the backend API directly (no browser page needed).
const apiUrl = (process.env.API_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");

test.describe("backend API", () => {
  test("health endpoint reports ok", { tag: "@smoke" }, async ({ request }) => {
    const res = await request.get(`${apiUrl}/api/v1/health`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { status?: unknown };
    expect(body.status).toBe("ok");
  });

  test("books endpoint returns a list", async ({ request }) => {
    const res = await request.get(`${apiUrl}/api/v1/books`);
    expect(res.status()).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
  });
});
