import { expect, test } from "@playwright/test";

// Needs the backend API up: on the page's own origin behind nginx, or at API_URL (read when the page is served).
test.describe("books page", () => {
  test("lists books from the API", { tag: "@smoke" }, async ({ page }) => {
    await page.goto("/books");
    await expect(page.getByTestId("books-count")).toBeVisible();
    await expect(page.getByTestId("books-error")).toHaveCount(0);
  });

  test("adds a book", async ({ page }) => {
    const title = `E2E book ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    await page.goto("/books");
    await expect(page.getByTestId("books-count")).toBeVisible();
    await page.getByTestId("book-title-input").fill(title);
    await page.getByTestId("book-author-input").fill("Playwright");
    await page.getByTestId("book-submit").click();
    await expect(
      page.getByTestId("book-item").filter({ hasText: `${title} by Playwright` }),
    ).toBeVisible();
    await expect(page.getByTestId("book-title-input")).toHaveValue("");

    // The new book survives a reload, i.e. it was stored by the API.
    await page.reload();
    await expect(page.getByTestId("book-item").filter({ hasText: title })).toBeVisible();
  });

  test("validates the form before sending", async ({ page }) => {
    await page.goto("/books");
    await page.getByTestId("book-submit").click();
    await expect(page.getByTestId("book-title-error")).toHaveText("Title is required");
    await expect(page.getByTestId("book-author-error")).toHaveText("Author is required");
  });
});
