// Every page, in this project's language, at a phone's and a projector's
// width: no serious or critical axe-core violation, no sideways scrolling.
// The screenshots land in test-results/ for a person to look at.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { gotoHydrated } from "./helpers";

const widths = [375, 1920];

async function check(page: Page, path: string, name: string, testInfo: import("@playwright/test").TestInfo) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await gotoHydrated(page, path);
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const serious = violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({ id: violation.id, nodes: violation.nodes.map((node) => node.target.join(" ")) }));
    expect(serious, `${path} at ${width} px`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
}

for (const [path, name] of [
  ["/", "home"],
  ["/login", "login"],
  ["/signup", "signup"],
] as const) {
  test(`${path} is accessible`, async ({ page }, testInfo) => {
    await check(page, path, name, testInfo);
  });
}

test("/me in each mode is accessible", async ({ sessionUser, jwtUser }, testInfo) => {
  await check(sessionUser.page, "/me", "me-session", testInfo);
  await check(jwtUser.page, "/me", "me-jwt", testInfo);
});

test("/board is accessible", async ({ jwtUser }, testInfo) => {
  await check(jwtUser.page, "/board", "board", testInfo);
});

test("/compare is accessible logged out and in each mode", async ({ page, sessionUser, jwtUser }, testInfo) => {
  await check(page, "/compare", "compare-anonymous", testInfo);
  await check(sessionUser.page, "/compare", "compare-session", testInfo);
  await check(jwtUser.page, "/compare", "compare-jwt", testInfo);
});

test("/lab is accessible", async ({ page }, testInfo) => {
  await check(page, "/lab", "lab", testInfo);
});

test("/guide is accessible", async ({ page }, testInfo) => {
  await check(page, "/guide", "guide", testInfo);
});

test("/compare/race is accessible", async ({ admin }, testInfo) => {
  await check(admin.page, "/compare/race", "race", testInfo);
});

test("/admin is accessible, and so is its 403 page", async ({ admin, sessionUser }, testInfo) => {
  await check(admin.page, "/admin", "admin", testInfo);
  await check(sessionUser.page, "/admin", "admin-403", testInfo);
});
