import { expect, test } from "@playwright/test";

test.describe("navigation", () => {
  test("nav bar links to every page", { tag: "@smoke" }, async ({ page }) => {
    await page.goto("/");
    const nav = page.getByTestId("nav");
    await expect(nav.getByTestId("nav-home")).toBeVisible();
    await expect(nav.getByTestId("nav-books")).toBeVisible();
    await expect(nav.getByTestId("nav-about")).toBeVisible();
  });

  test("navigates home -> about -> home", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("nav-about").click();
    await expect(page).toHaveURL(/\/about$/);
    await expect(page.getByTestId("about-title")).toBeVisible();
    await page.getByTestId("nav-home").click();
    await expect(page.getByTestId("home-title")).toBeVisible();
  });

  test("home link opens the books page", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("home-link-books").click();
    await expect(page).toHaveURL(/\/books$/);
    await expect(page.getByTestId("books-title")).toHaveText("Books");
  });
});
