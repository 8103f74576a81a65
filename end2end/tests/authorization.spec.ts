import { expect, test } from "@playwright/test";
import { createUser, expectOnMe, gotoHydrated, loginAs } from "./helpers";

for (const mode of ["session", "jwt"] as const) {
  test(`${mode}: alice posts, bob cannot edit it even by hand, admin deletes it`, async ({ browser }) => {
    const alice = await loginAs(browser, mode, "alice");
    const bob = await loginAs(browser, mode, "bob");
    const admin = await loginAs(browser, mode, "admin");
    const text = `hello from alice (${mode}) ${Date.now()}`;

    await gotoHydrated(alice.page, "/board");
    await alice.page.getByTestId("new-post").getByRole("textbox").fill(text);
    await alice.page.getByTestId("new-post").getByTestId("post-submit").click();
    const alicesPost = alice.page.getByTestId("post").filter({ hasText: text });
    await expect(alicesPost).toBeVisible();
    await expect(alicesPost.getByTestId("edit-post")).toBeVisible();
    const id = await alicesPost.getAttribute("data-id");

    await gotoHydrated(bob.page, "/board");
    const asSeenByBob = bob.page.getByTestId("post").filter({ hasText: text });
    await expect(asSeenByBob).toBeVisible();
    await expect(asSeenByBob.getByTestId("edit-post")).toHaveCount(0);
    await expect(asSeenByBob.getByTestId("delete-post")).toHaveCount(0);
    // Hand-made requests with bob's own cookies: the JSON API and the server function.
    const forgedPut = await bob.page.request.put(`/api/posts/${id}`, { data: { body: "bob was here" } });
    expect(forgedPut.status()).toBe(403);
    expect((await forgedPut.json()).error).toBe("forbidden");
    const forgedDelete = await bob.page.request.post("/rpc/delete_post", { form: { id: id! } });
    expect(forgedDelete.status()).toBe(403);

    await gotoHydrated(admin.page, "/board");
    const asSeenByAdmin = admin.page.getByTestId("post").filter({ hasText: text });
    await expect(asSeenByAdmin.getByTestId("edit-post")).toHaveCount(0);
    await asSeenByAdmin.getByTestId("delete-post").click();
    await expect(asSeenByAdmin).toHaveCount(0);

    await alice.page.reload();
    await expect(alice.page.getByTestId("post").filter({ hasText: text })).toHaveCount(0);
    for (const who of [alice, bob, admin]) await who.context.close();
  });
}

test("a user gets a 403 page at /admin and no admin link; anonymous goes to login", async ({ browser, page }) => {
  const bob = await loginAs(browser, "session", "bob");
  await expect(bob.page.getByTestId("nav-admin")).toHaveCount(0);
  const response = await bob.page.goto("/admin");
  expect(response!.status()).toBe(403);
  await expect(bob.page.getByTestId("forbidden")).toContainText("403");
  await bob.context.close();

  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?next=\/admin$/);
});

test("session: a promotion applies on the very next request", async ({ browser, request }) => {
  const { username, password } = await createUser(request, "sess");
  const user = await loginAs(browser, "session", username, password);
  await expect(user.page.getByTestId("nav-admin")).toHaveCount(0);

  const admin = await loginAs(browser, "session", "admin");
  await promote(admin.page, username);

  await user.page.reload();
  await expectOnMe(user.page, "session", username);
  await expect(user.page.getByTestId("me-role")).toHaveAttribute("data-role", "admin");
  await expect(user.page.getByTestId("role-mismatch")).toHaveCount(0);
  await expect(user.page.getByTestId("nav-admin")).toBeVisible();
  await user.page.getByTestId("nav-admin").click();
  await expect(user.page.getByTestId("admin-console")).toBeVisible();
  await user.context.close();
  await admin.context.close();
});

test("jwt: the token keeps the old role until it is refreshed, and /me says so", async ({ browser, request }) => {
  const { username, password } = await createUser(request, "jwt");
  const user = await loginAs(browser, "jwt", username, password);
  const admin = await loginAs(browser, "session", "admin");
  await promote(admin.page, username);

  await user.page.reload();
  await user.page.locator("body[data-hydrated]").waitFor();
  await expect(user.page.getByTestId("role-mismatch")).toHaveAttribute("data-token-role", "user");
  await expect(user.page.getByTestId("role-mismatch")).toHaveAttribute("data-database-role", "admin");
  await expect(user.page.getByTestId("nav-admin")).toHaveCount(0);
  expect((await user.page.request.get("/api/admin/users")).status()).toBe(403);

  await user.page.getByTestId("refresh-now").click();
  await expect(user.page.getByTestId("role-mismatch")).toHaveCount(0);
  await expect(user.page.getByTestId("me-role")).toHaveAttribute("data-role", "admin");
  await expect(user.page.getByTestId("nav-admin")).toBeVisible();
  expect((await user.page.request.get("/api/admin/users")).status()).toBe(200);
  await user.context.close();
  await admin.context.close();
});

async function promote(page: import("@playwright/test").Page, username: string) {
  await gotoHydrated(page, "/admin");
  const row = page.locator(`[data-testid=user-row][data-username="${username}"]`);
  await row.getByTestId("set-role").and(row.locator("[data-role=admin]")).click();
  await expect(row.getByTestId("user-role")).toHaveAttribute("data-role", "admin");
}
