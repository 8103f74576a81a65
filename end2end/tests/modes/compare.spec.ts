// /compare in every mode: this browser's own cookies with their real sizes,
// and the boxes of the flow diagram that its latest request went through.
import { expect, test } from "../fixtures";
import { gotoHydrated } from "../helpers";

test("/compare shows this browser's cookie sizes and the steps its last request took", async ({ user, mode }) => {
  const { page, context } = user;
  await gotoHydrated(page, "/compare");
  const column = page.getByTestId("compare-column").and(page.locator(`[data-mode=${mode}]`));
  await expect(page.getByTestId("compare-viewer")).toHaveAttribute("data-mode", mode);

  // The sizes the server reports are the sizes of the cookies this browser holds.
  const held = (await context.cookies()).filter((cookie) => cookie.name.startsWith("authlab_") && cookie.name !== "authlab_lang");
  const expected = held.map((cookie) => [cookie.name, String(cookie.value.length)]).sort();
  const shown = await column
    .getByTestId("compare-cookie")
    .evaluateAll((rows) => rows.map((row) => [row.getAttribute("data-name"), row.getAttribute("data-bytes")]));
  expect(shown.sort()).toEqual(expected);
  expect(expected.map(([name]) => name).sort()).toEqual(mode === "session" ? ["authlab_sid"] : ["authlab_at", "authlab_rt"]);

  // The latest request is this page's own, and it went through carry and check.
  await expect(column.getByTestId("latest-request")).toHaveAttribute("data-yours", "true");
  const diagram = column.getByTestId("flow-diagram");
  for (const node of ["carry", "check"]) {
    await expect(diagram.locator(`[data-node=${node}]`)).toHaveAttribute("data-passage", "passed");
  }
  await expect(diagram.locator("[data-node=login]")).toHaveAttribute("data-passage", "");
  // The other mode's column does not claim this request.
  const other = page.getByTestId("compare-column").and(page.locator(`[data-mode=${mode === "session" ? "jwt" : "session"}]`));
  await expect(other.getByTestId("compare-cookie")).toHaveCount(0);
  await expect(other.getByTestId("holds-nothing")).toBeVisible();

  // The page asks again by itself: the next ask is a new request of this mode.
  const stored = column.getByTestId("stored");
  expect(Number(await stored.getAttribute("data-logins"))).toBeGreaterThan(0);
  if (mode === "jwt") {
    await expect(column.getByTestId("compare-jwt-payload")).toContainText('"sid"');
  }
});
