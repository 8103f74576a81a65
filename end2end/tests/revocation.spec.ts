import { expect, test, type Browser, type Page } from "@playwright/test";
import { createUser, gotoHydrated, loginAs, shortTtlURL, type Mode } from "./helpers";

/** The admin's console, ready before the victim logs in. */
async function adminConsole(browser: Browser) {
  const admin = await loginAs(browser, "session", "admin");
  await gotoHydrated(admin.page, "/admin");
  return admin;
}

async function forceLogout(admin: Page, username: string) {
  const row = admin.getByTestId("user-row").and(admin.locator(`[data-username="${username}"]`));
  await row.getByTestId("force-logout").click();
  await expect(admin.getByTestId("revoked-summary")).toHaveAttribute("data-revoked", "1");
}

async function setStrict(admin: Page, on: boolean) {
  const state = admin.getByTestId("strict-state");
  if ((await state.getAttribute("data-on")) !== String(on)) {
    await admin.getByTestId("toggle-strict").click();
  }
  await expect(state).toHaveAttribute("data-on", String(on));
}

/** A click on a nav link: a client-side navigation, as a user makes it. */
async function navigateToBoard(page: Page) {
  await page.getByTestId("nav-board").click();
}

test("session: the admin forces alice out; her next navigation shows the login page", async ({ browser, request }) => {
  const { username, password } = await createUser(request, "alice");
  const admin = await adminConsole(browser);
  const victim = await loginAs(browser, "session", username, password);

  await forceLogout(admin.page, username);
  await expect(admin.page.getByTestId("tokens-live-on")).toHaveCount(0);
  const newest = admin.page.getByTestId("audit-trail").getByTestId("audit-row").first();
  await expect(newest).toHaveAttribute("data-event", "forced_logout");

  await navigateToBoard(victim.page);
  await expect(victim.page).toHaveURL(/\/login/);
  await expect(victim.page.getByTestId("nav-user")).toHaveCount(0);

  // The console's audit trail, filtered through its form into a shareable link.
  const filters = admin.page.getByTestId("audit-trail");
  await filters.getByTestId("audit-user").fill(username);
  await filters.getByTestId("audit-event").selectOption("forced_logout");
  await filters.getByTestId("audit-filter").click();
  await expect(admin.page).toHaveURL(new RegExp(`/admin\\?user=${username}&event=forced_logout&outcome=$`));
  const rows = admin.page.getByTestId("audit-trail").getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-event", "forced_logout");
  await expect(admin.page.getByTestId("audit-event")).toHaveValue("forced_logout");
  await victim.context.close();
  await admin.context.close();
});

test.describe("with 10-second access tokens", () => {
  test.use({ baseURL: shortTtlURL });

  test("jwt: the revoked token keeps working, says so, then dies at its expiry", async ({ browser, request }) => {
    test.setTimeout(60_000);
    const { username, password } = await createUser(request, "alice");
    const admin = await adminConsole(browser);
    const victim = await loginAs(browser, "jwt", username, password);

    await forceLogout(admin.page, username);
    await expect(admin.page.getByTestId("tokens-live-on")).toBeVisible();

    await navigateToBoard(victim.page);
    await expect(victim.page).toHaveURL(/\/board$/);
    const banner = victim.page.getByTestId("revoked-banner");
    await expect(banner).toBeVisible();
    const seconds = victim.page.getByTestId("revoked-seconds");
    const secondsLeft = Number(await seconds.textContent());
    expect(secondsLeft).toBeGreaterThan(0);
    // The access TTL of this server, plus the 5 s leeway and the second it ends in.
    expect(secondsLeft).toBeLessThanOrEqual(16);
    // The banner counts down to the moment the server stops accepting it.
    await expect(seconds).toHaveText("0", { timeout: 20_000 });

    // Once the token expires, the refresh is refused: wait for that, not for a guessed time.
    await expect(async () => {
      await victim.page.reload();
      await expect(victim.page).toHaveURL(/\/login/, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await victim.context.close();
    await admin.context.close();
  });

  test("jwt with strict revocation: forced logout is immediate", async ({ browser, request }) => {
    const { username, password } = await createUser(request, "alice");
    const admin = await adminConsole(browser);
    await setStrict(admin.page, true);
    try {
      const victim = await loginAs(browser, "jwt", username, password);
      // The trace on /me shows the lookup every JWT request now pays for.
      await expect(victim.page.getByTestId("trace").locator("[data-step=strict_lookup]")).toBeVisible();

      await forceLogout(admin.page, username);
      await expect(admin.page.getByTestId("tokens-live-on")).toHaveCount(0);
      await navigateToBoard(victim.page);
      await expect(victim.page).toHaveURL(/\/login/);
      await victim.context.close();
    } finally {
      await setStrict(admin.page, false);
      await admin.context.close();
    }
  });
});

for (const mode of ["session", "jwt"] as const satisfies readonly Mode[]) {
  test(`${mode}: my devices revokes one browser, then "log out everywhere else" keeps only this one`, async ({
    browser,
    request,
  }) => {
    const { username, password } = await createUser(request, "carol");
    const laptop = await loginAs(browser, mode, username, password);
    const phone = await loginAs(browser, "session", username, password);
    const tablet = await loginAs(browser, "jwt", username, password);

    await laptop.page.reload();
    await laptop.page.locator("body[data-hydrated]").waitFor();
    const devices = laptop.page.getByTestId("my-devices");
    const rows = devices.getByTestId("login-row");
    await expect(rows).toHaveCount(3);
    await expect(devices.locator("tr.current")).toHaveAttribute("data-mode", mode);
    // Each row names the browser briefly and keeps the whole header on hover.
    const client = devices.locator("tr.current").getByTestId("login-client");
    await expect(client).toHaveText(/Chrome \d+/);
    await expect(client).toHaveAttribute("title", await laptop.page.evaluate(() => navigator.userAgent));

    // The newest login is the tablet's: revoke just that one.
    await rows.last().getByTestId("revoke-login").click();
    await expect(devices.getByTestId("revoked-summary")).toHaveAttribute("data-revoked", "1");
    await expect(rows).toHaveCount(2);

    await devices.getByTestId("logout-others").click();
    await expect(rows).toHaveCount(1);
    await expect(devices.locator("tr.current")).toHaveCount(1);

    await navigateToBoard(phone.page);
    await expect(phone.page).toHaveURL(/\/login/);
    await navigateToBoard(laptop.page);
    await expect(laptop.page).toHaveURL(/\/board$/);
    for (const device of [laptop, phone, tablet]) await device.context.close();
  });
}

test("the login limit: a second browser evicts the first", async ({ browser, request }) => {
  const { username, password } = await createUser(request, "erin");
  const admin = await adminConsole(browser);
  const limit = admin.page.getByTestId("max-logins");
  await limit.fill("1");
  await admin.page.getByTestId("save-limit").click();
  await expect(admin.page.getByTestId("audit-trail").getByTestId("audit-row").first()).toHaveAttribute(
    "data-event",
    "settings_changed",
  );
  try {
    const first = await loginAs(browser, "session", username, password);
    const second = await loginAs(browser, "jwt", username, password);
    await navigateToBoard(first.page);
    await expect(first.page).toHaveURL(/\/login/);
    await expect(second.page.getByTestId("my-devices").getByTestId("login-row")).toHaveCount(1);
    await first.context.close();
    await second.context.close();
  } finally {
    await limit.fill("0");
    await admin.page.getByTestId("save-limit").click();
    const settings = async () => (await admin.page.request.get("/api/admin/settings")).json();
    await expect.poll(settings).toMatchObject({ max_logins_per_user: 0 });
    await admin.context.close();
  }
});

test("changing the password logs out the other browser, not this one", async ({ browser, request }) => {
  const { username, password } = await createUser(request, "dave");
  const here = await loginAs(browser, "session", username, password);
  const there = await loginAs(browser, "session", username, password);

  const form = here.page.getByTestId("password-change");
  await form.locator("input[name=old_password]").fill(password);
  await form.locator("input[name=new_password]").fill("a-brand-new-password");
  await form.getByTestId("change-password").click();
  await expect(form.getByTestId("revoked-summary")).toHaveAttribute("data-revoked", "1");
  await expect(form.locator("input[name=old_password]")).toHaveValue("");

  await navigateToBoard(there.page);
  await expect(there.page).toHaveURL(/\/login/);
  await navigateToBoard(here.page);
  await expect(here.page).toHaveURL(/\/board$/);
  await expect(here.page.getByTestId("nav-user")).toContainText(username);
  await here.context.close();
  await there.context.close();
});
