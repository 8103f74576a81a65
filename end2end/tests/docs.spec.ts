// The API's viewer works in a real browser under its own policy: every
// operation is listed, nothing is refused, nothing comes from elsewhere.
import { expect, test } from "./fixtures";

test("/api/docs lists every operation, with no error and no foreign request", async ({ page, baseURL }) => {
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("request", (request) => !request.url().startsWith(baseURL!) && problems.push(`foreign: ${request.url()}`));
  const spec = await (await page.request.get("/api/openapi.json")).json();
  const operations = Object.values(spec.paths as Record<string, object>).reduce(
    (count, item) => count + Object.keys(item).length,
    0,
  );
  expect(operations).toBeGreaterThanOrEqual(42);
  await page.goto("/api/docs/");
  await expect(page.locator(".opblock")).toHaveCount(operations);
  await expect(page.locator(".opblock-summary-path").filter({ hasText: "/api/session/login" })).toBeVisible();
  expect(problems).toEqual([]);
});
