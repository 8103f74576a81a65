import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

/** Navigates and waits until the app has hydrated (not a fixed sleep). */
export async function gotoHydrated(page: Page, url: string) {
  await page.goto(url);
  await page.locator("body[data-hydrated]").waitFor();
}

export type Mode = "session" | "jwt";

/** The second server, whose access tokens live 10 s (see playwright.config.ts). */
export const shortTtlURL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;

/** Fills and submits the login form of the current page, in any language. */
export async function submitLogin(page: Page, mode: Mode, username: string, password: string) {
  const form = page.getByTestId("login-form");
  await form.locator(`input[name=mode][value=${mode}]`).check();
  await form.locator("input[name=username]").fill(username);
  await form.locator("input[name=password]").fill(password);
  await form.getByTestId("login-submit").click();
}

export async function expectOnMe(page: Page, mode: Mode, username: string) {
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me")).toHaveAttribute("data-mode", mode);
  await expect(page.getByTestId("me-username")).toHaveText(username);
}

/** A fresh browser context logged in through the form. */
export async function loginAs(browser: Browser, mode: Mode, username: string, password = `${username}-password`) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await gotoHydrated(page, "/login");
  await submitLogin(page, mode, username, password);
  await expectOnMe(page, mode, username);
  return { context, page };
}

/** A new account through the JSON API, so a test owns a user of its own. */
export async function createUser(request: APIRequestContext, prefix: string) {
  const username = `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const password = "e2e-password";
  const reply = await request.post("/api/signup", { data: { username, password } });
  expect(reply.status()).toBe(201);
  return { username, password };
}
