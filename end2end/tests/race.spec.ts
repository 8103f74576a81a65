// The race, on the server whose race tokens live 6 s (playwright.config.ts):
// a forced logout and a promotion, watched as a room would watch them.
import { expect, test, type Page } from "@playwright/test";
import { gotoHydrated, loginAs, shortTtlURL } from "./helpers";

test.use({ baseURL: shortTtlURL });

const lane = (page: Page, mode: "session" | "jwt") =>
  page.getByTestId("race-lane-status").and(page.locator(`[data-mode=${mode}]`));

async function startRace(page: Page) {
  await gotoHydrated(page, "/compare/race");
  await page.getByTestId("race-start").click();
  await expect(page.getByTestId("race")).toHaveAttribute("data-running", "true");
  await expect(lane(page, "session")).toHaveAttribute("data-outcome", "accepted");
  await expect(lane(page, "jwt")).toHaveAttribute("data-outcome", "accepted");
}

async function act(page: Page, action: string) {
  await page.locator(`[data-testid=race-action][data-action=${action}]`).click();
}

test("a forced logout: the session stream turns red at once, the JWT stream only after its token expires", async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const { page, context } = await loginAs(browser, "session", "admin");
  await startRace(page);
  await act(page, "force_logout");
  // Within two ticks (one request a second, one look a second).
  await expect(lane(page, "session")).toHaveAttribute("data-outcome", "refused", { timeout: 3_000 });
  await expect(lane(page, "jwt")).toHaveAttribute("data-outcome", "accepted_after_revocation");
  await page.screenshot({ path: testInfo.outputPath("race-after-forced-logout.png"), fullPage: true });
  // Then the token runs out (6 s plus the 5 s leeway at most) and its refresh is refused.
  await expect(lane(page, "jwt")).toHaveAttribute("data-outcome", "refused", { timeout: 15_000 });
  await expect(lane(page, "session")).toHaveAttribute("data-outcome", "refused");
  const reaction = page.getByTestId("race-reaction").and(page.locator("[data-action=force_logout]"));
  const sessionMs = Number(await reaction.locator("[data-mode=session]").getAttribute("data-ms"));
  const jwtMs = Number(await reaction.locator("[data-mode=jwt]").getAttribute("data-ms"));
  expect(sessionMs).toBeLessThanOrEqual(2_000);
  expect(jwtMs).toBeGreaterThan(sessionMs);
  await page.getByTestId("race-stop").click();
  await expect(page.getByTestId("race")).toHaveAttribute("data-running", "false");
  await context.close();
});

test("a promotion reaches the session stream at once and the JWT stream only at its next refresh", async ({ browser }) => {
  test.setTimeout(60_000);
  const { page, context } = await loginAs(browser, "session", "admin");
  await startRace(page);
  await act(page, "promote");
  await expect(page.getByTestId("race-role")).toHaveAttribute("data-role", "admin");
  await expect(lane(page, "session")).toHaveAttribute("data-role", "admin", { timeout: 3_000 });
  // The token still says "user": the role is a signed claim.
  await expect(lane(page, "jwt")).toHaveAttribute("data-role", "user");
  await expect(lane(page, "jwt")).toHaveAttribute("data-role", "admin", { timeout: 15_000 });
  await expect(lane(page, "jwt")).toHaveAttribute("data-outcome", "accepted");
  await page.getByTestId("race-stop").click();
  await context.close();
});

test("a user may not open the race", async ({ browser }) => {
  const { page, context } = await loginAs(browser, "jwt", "alice");
  await page.goto("/compare/race");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await context.close();
});
