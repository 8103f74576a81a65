import { expect, type Page } from "@playwright/test";

/** Navigates and waits until the app has hydrated (not a fixed sleep). */
export async function gotoHydrated(page: Page, url: string) {
  await page.goto(url);
  await page.locator("body[data-hydrated]").waitFor();
}

export type Mode = "session" | "jwt";

/** Fills and submits the login form of the current page. */
export async function submitLogin(page: Page, mode: Mode, username: string, password: string) {
  await page.locator(`input[name=mode][value=${mode}]`).check();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function expectOnMe(page: Page, mode: Mode, username: string) {
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me")).toHaveAttribute("data-mode", mode);
  await expect(page.getByTestId("me-username")).toHaveText(username);
}
