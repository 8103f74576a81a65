import { expect, test } from "@playwright/test";
import { expectOnMe, gotoHydrated, submitLogin, type Mode } from "./helpers";

const credentialCookies: Record<Mode, string[]> = {
  session: ["authlab_sid"],
  jwt: ["authlab_at", "authlab_rt"],
};

for (const mode of ["session", "jwt"] as const) {
  test(`${mode}: log in through the form, reload, log out`, async ({ page, context }) => {
    await gotoHydrated(page, "/login");
    await submitLogin(page, mode, "alice", "alice-password");
    await expectOnMe(page, mode, "alice");
    await expect(page.getByTestId("nav-user")).toContainText("alice");
    await expect(page.getByTestId("trace")).toBeVisible();

    const cookies = await context.cookies();
    for (const name of credentialCookies[mode]) {
      const cookie = cookies.find((c) => c.name === name);
      expect(cookie, `${name} is set`).toBeTruthy();
      expect(cookie!.httpOnly).toBe(true);
      expect(cookie!.sameSite).toBe("Lax");
    }
    const otherMode = mode === "session" ? "jwt" : "session";
    for (const name of credentialCookies[otherMode]) {
      expect(cookies.find((c) => c.name === name), `${name} is not set`).toBeUndefined();
    }
    if (mode === "jwt") {
      await expect(page.getByTestId("jwt-payload")).toContainText('"name": "alice"');
      await expect(page.getByTestId("server-stores-nothing")).toBeVisible();
    } else {
      await expect(page.getByTestId("session-record")).toContainText('"user_id"');
    }

    await page.reload();
    await page.locator("body[data-hydrated]").waitFor();
    await expectOnMe(page, mode, "alice");

    await page.getByTestId("logout").click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId("logged-out")).toBeVisible();
    const left = (await context.cookies()).filter((c) => credentialCookies[mode].includes(c.name));
    expect(left).toEqual([]);

    await page.goto("/me");
    await expect(page).toHaveURL(/\/login\?next=\/me$/);
  });
}

test("a wrong password shows the message and sets no cookie", async ({ page, context }) => {
  await gotoHydrated(page, "/login");
  await submitLogin(page, "session", "alice", "not-her-password");
  await expect(page.getByTestId("login-error")).toHaveAttribute("data-code", "invalid_credentials");
  await expect(page).toHaveURL(/\/login/);
  expect(await context.cookies()).toEqual([]);
});

test("anonymous /me redirects to login, then back to /me after login", async ({ page }) => {
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login\?next=\/me$/);
  await page.locator("body[data-hydrated]").waitFor();
  await submitLogin(page, "jwt", "bob", "bob-password");
  await expectOnMe(page, "jwt", "bob");
});

test("jwt: an expired access cookie is refreshed transparently on the next page", async ({ page, context }) => {
  await gotoHydrated(page, "/login?mode=jwt");
  await submitLogin(page, "jwt", "alice", "alice-password");
  await expectOnMe(page, "jwt", "alice");
  const before = (await context.cookies()).find((c) => c.name === "authlab_rt")!.value;

  // What the browser does itself when the access token's Max-Age runs out.
  await context.clearCookies({ name: "authlab_at" });
  await page.reload();
  await expectOnMe(page, "jwt", "alice");
  await expect(page.getByTestId("trace").locator("[data-step=rotated]")).toBeVisible();
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === "authlab_at")).toBeTruthy();
  expect(cookies.find((c) => c.name === "authlab_rt")!.value).not.toBe(before);
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  for (const mode of ["session", "jwt"] as const) {
    test(`${mode}: the login form still works`, async ({ page }) => {
      await page.goto("/login");
      await submitLogin(page, mode, "alice", "alice-password");
      await expectOnMe(page, mode, "alice");
      await page.getByTestId("logout").click();
      await expect(page).toHaveURL(/\/login/);
      await page.goto("/me");
      await expect(page).toHaveURL(/\/login\?next=\/me$/);
    });
  }

  test("a wrong password shows the message", async ({ page }) => {
    await page.goto("/login");
    await submitLogin(page, "session", "alice", "wrong");
    await expect(page.getByTestId("login-error")).toHaveAttribute("data-code", "invalid_credentials");
  });
});
