// /compare's "Under load" section: the latest `make bench` run, exactly as
// bench/results.json holds it, beside the live figures.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./fixtures";
import { gotoHydrated } from "./helpers";

type BenchPath = { key: string; rps: number };
type Results = { commit: string; paths: BenchPath[]; logins: { mode: string }[] };

test("/compare shows each path of the latest make bench run with its share of the ceiling", async ({ page }) => {
  const results: Results = JSON.parse(readFileSync(join(__dirname, "..", "..", "bench", "results.json"), "utf8"));
  await gotoHydrated(page, "/compare");
  const section = page.getByTestId("under-load");
  await expect(section).toContainText(results.commit);
  const rows = section.getByTestId("bench-path");
  await expect(rows).toHaveCount(results.paths.length);
  const ceiling = results.paths.find((path) => path.key === "livez")!.rps;
  for (const [index, path] of results.paths.entries()) {
    const row = rows.nth(index);
    await expect(row).toHaveAttribute("data-key", path.key);
    await expect(row).toContainText(`${Math.round((100 * path.rps) / ceiling)}%`);
  }
  const modes = await section.getByTestId("bench-login").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-mode")));
  expect(modes).toEqual(results.logins.map((row) => row.mode));
});
