// The build's files: content-hashed names cached for a year, served
// brotli-compressed to a browser that accepts it; pages are never stored.
import { expect, test } from "./fixtures";

test("the build's files are hashed, compressed and immutable; pages are not stored", async ({ request }) => {
  const page = await request.get("/login");
  expect(page.headers()["cache-control"]).toBe("no-store");
  const html = await page.text();
  const assets = [...new Set(html.match(/\/pkg\/[^"' )]+/g) ?? [])];
  const kinds = assets.map((path) => path.split(".").pop());
  expect(kinds.sort()).toEqual(["css", "js", "wasm"]);
  for (const path of assets) {
    expect(path, "a content hash in the name").toMatch(/^\/pkg\/authlab\.[A-Za-z0-9_-]{8,}\.(css|js|wasm)$/);
    const response = await request.get(path, { headers: { "accept-encoding": "br, gzip" } });
    expect(response.status(), path).toBe(200);
    expect(response.headers()["cache-control"], path).toBe("public, max-age=31536000, immutable");
    expect(response.headers()["content-encoding"], path).toBe("br");
    expect(response.headers()["vary"], path).toContain("accept-encoding");
  }
  // Under the old, unhashed name there is nothing to cache by mistake.
  expect((await request.get("/pkg/authlab.wasm")).status()).toBe(404);
});

// `make build` splits the wasm (cargo leptos --split): what / and /login
// need is one file, and every other page is a file of its own that comes
// when the page is first shown. Issue 13's target for the first visit.
test("a first visit to /login transfers at most 300 KB; another page's code comes with that page", async ({ page }, testInfo) => {
  const fetched: Promise<{ path: string; bytes: number }>[] = [];
  page.on("requestfinished", (request) => {
    fetched.push(
      request.sizes().then((sizes) => ({
        path: new URL(request.url()).pathname,
        bytes: sizes.responseHeadersSize + sizes.responseBodySize,
      })),
    );
  });
  await page.goto("/login");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const firstVisit = await Promise.all(fetched);
  const total = firstVisit.reduce((sum, file) => sum + file.bytes, 0);
  const listing = firstVisit.map((file) => `${file.path} ${file.bytes}`).join("\n");
  expect(total, listing).toBeLessThanOrEqual(300 * 1024);
  expect(firstVisit.filter((file) => file.path.startsWith("/pkg/split_")), listing).toEqual([]);

  // In the same page: the sign-up page's own wasm arrives, its form works,
  // and so does /me's, where a new account lands.
  fetched.length = 0;
  const username = `lazy-${testInfo.project.name}`;
  await page.getByTestId("nav-signup").click();
  await expect(page).toHaveURL(/\/signup$/);
  const form = page.getByTestId("signup-form");
  await form.locator("input[name=username]").fill(username);
  await form.locator("input[name=password]").fill("lazy-visitor-password");
  await form.locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me-username")).toHaveText(username);
  const paths = (await Promise.all(fetched)).map((file) => file.path);
  for (const lazyPage of ["signup", "me"]) {
    const ownFile = new RegExp(`^/pkg/split___${lazyPage}_view_\\d+\\.[\\w-]{8,}\\.wasm$`);
    expect(paths.filter((path) => ownFile.test(path)), paths.join("\n")).toHaveLength(1);
  }
});
