// Korean and English: the browser's language picks the page's, and the
// switch in the nav changes it, with or without JavaScript, on the same
// page, still logged in.
import { expect, stateFile, test } from "./fixtures";
import { gotoHydrated } from "./helpers";

const other = (lang: string) => (lang === "ko" ? "en" : "ko");

test("the page arrives in the browser's language, already rendered by the server", async ({ browser, baseURL, locale }) => {
  const expected = (locale ?? "en").slice(0, 2);
  // No script runs: whatever language the page has, the server wrote it.
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL, locale });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", expected);
  await expect(page.getByTestId("lang-switch")).toHaveAttribute("data-lang", other(expected));
  await context.close();
});

test("the switch keeps the page and the login, and flips back", async ({ sessionUser, locale }) => {
  const { page, username } = sessionUser;
  const start = (locale ?? "en").slice(0, 2);
  await gotoHydrated(page, "/me?from=switch");
  const text = await page.getByTestId("my-devices").locator("h2").textContent();
  for (const lang of [other(start), start]) {
    await page.getByTestId("lang-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await page.locator("body[data-hydrated]").waitFor();
    await expect(page).toHaveURL(/\/me\?from=switch$/);
    await expect(page.getByTestId("me-username")).toHaveText(username);
  }
  // Back where it started, in the same words.
  await expect(page.getByTestId("my-devices").locator("h2")).toHaveText(text!);
});

test("without JavaScript the switch is a plain form post that lands on the same page", async ({
  browser,
  baseURL,
  locale,
}) => {
  const start = (locale ?? "en").slice(0, 2);
  const context = await browser.newContext({
    javaScriptEnabled: false,
    baseURL,
    locale,
    storageState: stateFile("jwt", "user"),
  });
  const page = await context.newPage();
  await page.goto("/board");
  const heading = await page.locator("h1").textContent();
  await page.getByTestId("lang-switch").click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.locator("html")).toHaveAttribute("lang", other(start));
  await expect(page.getByTestId("nav-user")).toContainText("alice");
  await expect(page.locator("h1")).not.toHaveText(heading!);
  const remembered = (await context.cookies()).find((cookie) => cookie.name === "authlab_lang");
  expect(remembered?.value).toBe(other(start));
  await context.close();
});

test("an error reads in the page's language and keeps its code", async ({ page, locale }) => {
  const lang = (locale ?? "en").slice(0, 2);
  await gotoHydrated(page, "/login");
  const form = page.getByTestId("login-form");
  await form.locator("input[name=username]").fill("alice");
  await form.locator("input[name=password]").fill("not-her-password");
  await form.getByTestId("login-submit").click();
  const error = page.getByTestId("login-error");
  await expect(error).toHaveAttribute("data-code", "invalid_credentials");
  // Hangul in Korean, none in English.
  if (lang === "ko") await expect(error).toHaveText(/[\uac00-\ud7a3]/);
  else await expect(error).not.toHaveText(/[\uac00-\ud7a3]/);
});
