// Cross-site request forgery in a real browser: a page of another origin
// (`localhost` instead of 127.0.0.1; Playwright serves the attacker's page,
// which has no policy of ours) submits a form to this site. Chromium marks it `Sec-Fetch-Site: cross-site`, and the
// server's one CSRF rule refuses it; the same form from this site passes.
import { expect, test } from "./fixtures";
import { gotoHydrated } from "./helpers";

async function submitForm(page: import("@playwright/test").Page, action: string, fields: Record<string, string>) {
  const response = page.waitForResponse((response) => response.url() === action && response.request().method() === "POST");
  await page.evaluate(
    ({ action, fields }) => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = action;
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    },
    { action, fields },
  );
  return response;
}

test("a form on another origin is refused with 403 csrf; the same form on this site passes", async ({ page, baseURL }) => {
  const target = `${baseURL}/lang`;
  const foreign = baseURL!.replace("127.0.0.1", "localhost");

  await page.route(`${foreign}/attacker`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>attacker</title><p>win a prize</p>" }),
  );
  await page.goto(`${foreign}/attacker`);
  const forged = await submitForm(page, target, { lang: "ko", next: "/" });
  expect(forged.status()).toBe(403);
  expect(forged.request().headers()["origin"]).toBe(foreign);
  expect(await forged.json()).toMatchObject({ error: "csrf" });
  expect((await page.context().cookies(baseURL)).find((c) => c.name === "authlab_lang")).toBeUndefined();

  await gotoHydrated(page, "/login");
  const own = await submitForm(page, target, { lang: "ko", next: "/login" });
  expect(own.status()).toBe(303);
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
});
