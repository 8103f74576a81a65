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
