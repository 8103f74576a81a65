// /guide: nine steps adding up to an hour, every link lands on what it
// names, and the page prints without the app's chrome.
import { expect, test } from "./fixtures";
import { gotoHydrated } from "./helpers";

test("the guide's steps add up to an hour and every link lands on its experiment", async ({ page }) => {
  await gotoHydrated(page, "/guide");
  const steps = page.getByTestId("guide-step");
  await expect(steps).toHaveCount(9);
  const links = await page.getByTestId("guide-link").evaluateAll((anchors) =>
    anchors.map((anchor) => anchor.getAttribute("href") ?? ""),
  );
  expect(links.length).toBeGreaterThanOrEqual(9);
  // Each anchor names an element that the target page really has.
  for (const href of new Set(links)) {
    const [path, id] = href.split("#");
    const response = await page.request.get(path);
    // The race is for admins: anyone else is sent to log in, which is the point.
    if (path === "/compare/race") continue;
    expect(response.status(), href).toBe(200);
    if (id) expect(await response.text(), href).toContain(`id="${id}"`);
  }
});

test("the guide prints without nav or buttons, with each link's address", async ({ page }) => {
  await gotoHydrated(page, "/guide");
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("nav.nav")).toBeHidden();
  await expect(page.getByTestId("guide-print")).toBeHidden();
  await expect(page.locator(".print-only").first()).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  await expect(page.locator(".print-only").first()).toBeHidden();
});

test("each trade-off row on /compare links to its Lab experiment, and it exists", async ({ page }) => {
  await gotoHydrated(page, "/compare");
  const links = await page.getByTestId("trade-experiment").evaluateAll((anchors) =>
    anchors.map((anchor) => anchor.getAttribute("href") ?? ""),
  );
  expect(links).toEqual(["/lab#propagation-forced_logout", "/lab#propagation-role_change", "/lab#csrf", "/lab#script-read"]);
  const lab = await (await page.request.get("/lab")).text();
  for (const href of links) expect(lab).toContain(`id="${href.split("#")[1]}"`);
});
