// One spec, every mode: the projects en-session, en-jwt, ko-session and
// ko-jwt run it with `mode` set, and the fixtures log in accordingly.
import { expect, test } from "../fixtures";
import { gotoHydrated } from "../helpers";

test("the mode badge, the username and the cookie table say which mode this is", async ({ user, mode }) => {
  const { page, username } = user;
  await gotoHydrated(page, "/me");
  await expect(page.getByTestId("me")).toHaveAttribute("data-mode", mode);
  await expect(page.getByTestId("me-username")).toHaveText(username);
  await expect(page.getByTestId("nav-user").getByTestId("mode-badge")).toHaveAttribute("data-mode", mode);
  const names = await page.getByTestId("cookie-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-name")));
  const expected = mode === "session" ? ["authlab_sid"] : ["authlab_at", "authlab_rt"];
  expect(names.filter((name) => name !== "authlab_lang").sort()).toEqual(expected);
  // What the server did for this very request, step by step.
  const steps = page.getByTestId("trace-step");
  await expect(steps.first()).toHaveAttribute("data-step", "read_cookie");
  await expect(page.getByTestId("trace").locator(`[data-step=${mode === "session" ? "session_found" : "verified_signature"}]`)).toHaveCount(1);
  await expect(page.getByTestId("trace")).toHaveAttribute("data-touched-state", String(mode === "session"));
  // The nav marks the page it is on, and follows a click without reloading.
  await expect(page.getByTestId("nav-me")).toHaveAttribute("aria-current", "page");
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await page.getByTestId("nav-board").click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByTestId("nav-board")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("nav-me")).not.toHaveAttribute("aria-current", /.*/);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
});

test("this browser is marked among my devices", async ({ user, mode }) => {
  await gotoHydrated(user.page, "/me");
  const current = user.page.getByTestId("my-devices").locator("tr.current");
  await expect(current).toHaveAttribute("data-mode", mode);
  await expect(current.getByTestId("this-browser")).toBeVisible();
});

test("the board: a post of mine has edit and delete; the admin sees every post", async ({ user, admin }) => {
  const text = `per-mode ${Date.now()}`;
  await gotoHydrated(user.page, "/board");
  await user.page.getByTestId("new-post").locator("textarea").fill(text);
  await user.page.getByTestId("post-submit").click();
  const mine = user.page.getByTestId("post").filter({ hasText: text });
  await expect(mine).toHaveAttribute("data-author", user.username);
  await expect(mine.getByTestId("edit-post")).toBeVisible();

  await gotoHydrated(admin.page, "/board");
  const seenByAdmin = admin.page.getByTestId("post").filter({ hasText: text });
  await expect(seenByAdmin.getByTestId("delete-post")).toBeVisible();
  await expect(seenByAdmin.getByTestId("edit-post")).toHaveCount(0);
  await seenByAdmin.getByTestId("delete-post").click();
  await expect(seenByAdmin).toHaveCount(0);
});

test("the admin console lists users with a forced-logout button each", async ({ admin, mode }) => {
  await gotoHydrated(admin.page, "/admin");
  await expect(admin.page.getByTestId("admin-console")).toBeVisible();
  await expect(admin.page.getByTestId("nav-user").getByTestId("mode-badge")).toHaveAttribute("data-mode", mode);
  const alice = admin.page.getByTestId("user-row").and(admin.page.locator('[data-username="alice"]'));
  await expect(alice.getByTestId("force-logout")).toBeVisible();
  await expect(alice.getByTestId("user-role")).toHaveAttribute("data-role", "user");
});
