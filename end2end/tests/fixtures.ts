import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { join } from "node:path";
import type { Mode } from "./helpers";

export { expect };
export type Role = "user" | "admin";

/** Who is logged in, once per mode and role, by auth.setup.ts. */
export const accounts: Record<Role, { username: string; password: string }> = {
  user: { username: "alice", password: "alice-password" },
  admin: { username: "admin", password: "admin-password" },
};

/** The storageState file of a mode and role: the browser's cookies after logging in. */
export function stateFile(mode: Mode, role: Role) {
  return join(__dirname, "..", ".auth", `${mode}-${role}.json`);
}

/** Options a project sets (`use: { mode: "jwt" }`). */
export type AppOptions = { mode: Mode };

type LoggedIn = { page: Page; context: BrowserContext; username: string };

type AppFixtures = {
  /** alice, logged in with a session cookie. */
  sessionUser: LoggedIn;
  /** alice, logged in with a JWT. */
  jwtUser: LoggedIn;
  /** the admin, in the project's mode. */
  admin: LoggedIn;
  /** alice, in the project's mode. */
  user: LoggedIn;
};

type ContextOptions = { baseURL?: string; locale?: string };

/** A fresh browser context that starts from a saved login: no form, no wait. */
async function loggedIn(
  browser: Browser,
  options: ContextOptions,
  mode: Mode,
  role: Role,
  use: (value: LoggedIn) => Promise<void>,
) {
  const context = await browser.newContext({ ...options, storageState: stateFile(mode, role) });
  const page = await context.newPage();
  await use({ page, context, username: accounts[role].username });
  await context.close();
}

export const test = base.extend<AppFixtures & AppOptions>({
  mode: ["session", { option: true }],
  sessionUser: async ({ browser, baseURL, locale }, use) => loggedIn(browser, { baseURL, locale }, "session", "user", use),
  jwtUser: async ({ browser, baseURL, locale }, use) => loggedIn(browser, { baseURL, locale }, "jwt", "user", use),
  admin: async ({ browser, baseURL, locale, mode }, use) => loggedIn(browser, { baseURL, locale }, mode, "admin", use),
  user: async ({ browser, baseURL, locale, mode }, use) => loggedIn(browser, { baseURL, locale }, mode, "user", use),
});
