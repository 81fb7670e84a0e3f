import { expect, test } from "@playwright/test";

test.describe("about page", () => {
  test("describes the application", async ({ page }) => {
    await page.goto("/about");
    await expect(page).toHaveTitle(/About/);
    await expect(page.getByTestId("about-title")).toHaveText("About");
    await expect(page.getByTestId("about-text")).toContainText("Auto-Author");
  });

  test("unknown routes return 404", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
  });
});
