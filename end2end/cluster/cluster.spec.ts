import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { gotoHydrated, loginAs } from "../tests/helpers";

// Three instances (a, b, c) behind nginx, round robin, memory session store.

type HopSeen = { instance: string; state: string };

/** Asks six times through the balancer; answers what each hop met. */
async function ask(page: Page): Promise<HopSeen[]> {
  const list = page.getByTestId("cluster-hops");
  const before = (await list.getAttribute("data-asked")) ?? "";
  await page.getByTestId("cluster-ask").click();
  await expect(list).not.toHaveAttribute("data-asked", before);
  const hops = page.getByTestId("cluster-hop");
  await expect(hops).toHaveCount(6);
  const seen: HopSeen[] = [];
  for (const hop of await hops.all()) {
    seen.push({
      instance: (await hop.getAttribute("data-instance")) ?? "",
      state: (await hop.getAttribute("data-state")) ?? "",
    });
  }
  return seen;
}

/** A session made through the balancer on one instance: its cookie and that instance. */
async function sessionLogin(context: BrowserContext, user: string) {
  const login = await context.request.post("/api/session/login", {
    data: { username: user, password: `${user}-password` },
  });
  expect(login.status()).toBe(200);
  const cookie = (await context.cookies()).find((cookie) => cookie.name === "authlab_sid");
  expect(cookie).toBeTruthy();
  return { cookie: cookie!, home: login.headers()["x-authlab-instance"] };
}

async function compare(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page };
}

test("a memory session is known on its own instance only, and dies with its restart; a JWT works everywhere", async ({
  browser,
}) => {
  const { context, page } = await compare(browser);
  const { cookie, home } = await sessionLogin(context, "alice");
  await gotoHydrated(page, "/compare");
  await expect(page.getByTestId("cluster-instance")).toHaveCount(3);
  await expect(page.getByTestId("nav-instance")).toBeVisible();

  // The browser presents its cookie again (an earlier request of the page
  // may already have met another instance, which deleted it).
  await context.addCookies([cookie]);
  const hops = await ask(page);
  const detail = JSON.stringify({ home, hops });
  // Known only at home; the first other instance refuses the session and
  // deletes the cookie, so every later hop is anonymous.
  const firstAway = hops.findIndex((hop) => hop.state !== "known");
  expect(firstAway, detail).toBeGreaterThanOrEqual(0);
  for (const [index, hop] of hops.entries()) {
    if (hop.state === "known") expect(hop.instance, detail).toBe(home);
    if (hop.state === "refused") expect(hop.instance, detail).not.toBe(home);
    if (index > firstAway) expect(hop.state, detail).toBe("anonymous");
  }
  // Some other instance counted the session it did not know.
  const unknownElsewhere = page.locator(`[data-testid=cluster-instance]:not([data-name=${home}]):not([data-unknown="0"])`);
  await expect(unknownElsewhere.first()).toBeVisible();

  // A real restart of the instance that held the session.
  const row = page.locator(`[data-testid=cluster-instance][data-name=${home}]`);
  const pid = (await row.getAttribute("data-pid")) ?? "";
  await row.getByTestId("cluster-restart").click();
  await expect(page.getByTestId("cluster-restarted")).toBeVisible();
  await expect(row).not.toHaveAttribute("data-pid", pid);
  await expect(row).toHaveAttribute("data-up", "true");
  await context.addCookies([cookie]);
  const after = await ask(page);
  expect(after.filter((hop) => hop.state === "known"), JSON.stringify(after)).toHaveLength(0);
  await page.screenshot({ path: "test-results/cluster-memory.png", fullPage: true });
  await context.close();

  const jwt = await loginAs(browser, "jwt", "bob");
  await gotoHydrated(jwt.page, "/compare");
  const everywhere = await ask(jwt.page);
  expect(everywhere.every((hop) => hop.state === "known"), JSON.stringify(everywhere)).toBe(true);
  expect(new Set(everywhere.map((hop) => hop.instance)).size).toBe(3);
  await jwt.context.close();
});
