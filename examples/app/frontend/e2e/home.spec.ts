import { expect, test } from "@playwright/test";

test.describe("home page", () => {
  test("shows the Auto-Author title", { tag: "@smoke" }, async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveTitle(/Auto-Author/);
    await expect(page.getByTestId("home-title")).toHaveText("Auto-Author");
  });

  test("shows the intro and links", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("home-intro")).toContainText("books");
    await expect(page.getByTestId("home-link-books")).toHaveAttribute("href", "/books");
    await expect(page.getByTestId("home-link-about")).toHaveAttribute("href", "/about");
  });
});
