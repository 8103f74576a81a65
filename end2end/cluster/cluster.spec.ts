import { expect, test, type Page } from "@playwright/test";
import { gotoHydrated, loginAs, type Mode } from "../tests/helpers";

// Three instances (a, b, c) behind nginx, round robin, memory session store.

/** Asks six times through the balancer; answers each hop's instance and whether it knew the caller. */
async function ask(page: Page) {
  const hops = page.getByTestId("cluster-hop");
  const before = await page.getByTestId("cluster-hops").getAttribute("data-asked");
  await page.getByTestId("cluster-ask").click();
  await expect(page.getByTestId("cluster-hops")).not.toHaveAttribute("data-asked", before ?? "");
  await expect(hops).toHaveCount(6);
  const result: { instance: string; known: boolean }[] = [];
  for (const hop of await hops.all()) {
    result.push({
      instance: (await hop.getAttribute("data-instance")) ?? "",
      known: (await hop.getAttribute("data-known")) === "true",
    });
  }
  return result;
}

async function loginThroughBalancer(browser: import("@playwright/test").Browser, mode: Mode, user: string) {
  const { context, page } = await loginAs(browser, mode, user);
  await gotoHydrated(page, "/compare");
  await expect(page.getByTestId("cluster-instance")).toHaveCount(3);
  return { context, page };
}

test("a memory session is known on one instance only, and dies with its restart; a JWT works everywhere", async ({
  browser,
}) => {
  const { context, page } = await loginThroughBalancer(browser, "session", "alice");
  await expect(page.getByTestId("nav-instance")).toBeVisible();
  const first = await ask(page);
  const knownOn = new Set(first.filter((hop) => hop.known).map((hop) => hop.instance));
  const unknownOn = new Set(first.filter((hop) => !hop.known).map((hop) => hop.instance));
  expect(knownOn.size, JSON.stringify(first)).toBe(1);
  expect(unknownOn.size, JSON.stringify(first)).toBeGreaterThan(0);
  const [home] = [...knownOn];
  expect(unknownOn.has(home)).toBe(false);
  // The instances that did not know the session counted it.
  for (const name of unknownOn) {
    await expect(page.locator(`[data-testid=cluster-instance][data-name=${name}]`)).not.toHaveAttribute(
      "data-unknown",
      "0",
    );
  }

  // A real restart of the instance that holds the session.
  const row = page.locator(`[data-testid=cluster-instance][data-name=${home}]`);
  const pid = await row.getAttribute("data-pid");
  await row.getByTestId("cluster-restart").click();
  await expect(page.getByTestId("cluster-restarted")).toBeVisible();
  await expect(row).toHaveAttribute("data-up", "true");
  await expect(row).not.toHaveAttribute("data-pid", pid ?? "");
  const after = await ask(page);
  expect(after.filter((hop) => hop.known), JSON.stringify(after)).toHaveLength(0);
  await page.screenshot({ path: "test-results/cluster-memory.png", fullPage: true });
  await context.close();

  const jwt = await loginThroughBalancer(browser, "jwt", "bob");
  const hops = await ask(jwt.page);
  expect(hops.every((hop) => hop.known), JSON.stringify(hops)).toBe(true);
  expect(new Set(hops.map((hop) => hop.instance)).size).toBe(3);
  await jwt.context.close();
});
