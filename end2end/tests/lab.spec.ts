// The Lab's attacks through the page, in the project's language: predict,
// run, and see each naive verifier let the forged admin in while this app
// refuses it; the score counts the predictions.
import { expect, test } from "@playwright/test";
import { gotoHydrated } from "./helpers";

const checks = ["tampered_payload", "alg_none", "hs512_same_key", "other_key", "expired", "not_yet_valid", "refresh_as_access"];
const replays: [string, boolean][] = [
  ["session_after_logout", false],
  ["jwt_after_logout", true],
  ["refresh_reuse", false],
  ["session_fixation", false],
];
const flaws = ["decode_only", "alg_none", "weak_secret", "embedded_jwk", "jku", "kid_path", "alg_confusion"];

test("every attack: the naive verifier lets the forged admin in, this app refuses it, the score counts", async ({ page }) => {
  test.setTimeout(60_000);
  await gotoHydrated(page, "/lab");
  await page.getByTestId("lab-score-reset").click();
  await expect(page.getByTestId("lab-score")).toHaveAttribute("data-total", "0");
  for (const flaw of flaws) {
    const card = page.locator(`[data-testid=attack][data-flaw=${flaw}]`);
    // Right about the naive verifier, wrong about this app (on purpose).
    await card.locator("[data-testid=guess-naive][data-guess=let_in]").check();
    await card.locator("[data-testid=guess-real][data-guess=let_in]").check();
    await card.getByTestId("attack-run").click();
    const result = card.getByTestId("attack-result");
    await expect(result.getByTestId("naive-side")).toHaveAttribute("data-verdict", "let_in");
    await expect(result.getByTestId("real-side")).toHaveAttribute("data-verdict", "refused");
    await expect(result.getByTestId("naive-side").getByTestId("exchange")).toHaveAttribute("data-status", "200");
    await expect(result.getByTestId("real-side").getByTestId("exchange")).toHaveAttribute("data-status", "200");
    await expect(result.getByTestId("forged-payload")).toContainText('"admin"');
    if (flaw === "weak_secret") {
      await expect(result.getByTestId("recovered-secret")).toHaveAttribute("data-secret", /.+/);
    }
  }
  // Every broken token: predicted refused (right), and refused.
  for (const check of checks) {
    const card = page.locator(`[data-testid=check][data-check=${check}]`);
    await card.locator("[data-testid=guess-real][data-guess=refuse]").check();
    await card.getByTestId("check-run").click();
    const result = card.getByTestId("check-result");
    await expect(result).toHaveAttribute("data-accepted", "false");
    await expect(result.getByTestId("exchange")).toHaveAttribute("data-status", "401");
    await expect(result.getByTestId("check-verdict")).not.toBeEmpty();
  }
  // The replays, each predicted right: only the access token outlives its logout.
  for (const [replay, accepted] of replays) {
    const card = page.locator(`[data-testid=replay][data-replay=${replay}]`);
    await card.locator(`[data-testid=guess-real][data-guess=${accepted ? "let_in" : "refuse"}]`).check();
    await card.getByTestId("replay-run").click();
    await expect(card.getByTestId("replay-result")).toHaveAttribute("data-accepted", String(accepted));
  }
  await expect(page.locator("[data-testid=replay][data-replay=jwt_after_logout]").getByTestId("replay-valid-for")).toBeVisible();
  const score = page.getByTestId("lab-score");
  await expect(score).toHaveAttribute("data-total", String(flaws.length * 2 + checks.length + replays.length));
  const right = String(flaws.length + checks.length + replays.length);
  await expect(score).toHaveAttribute("data-right", right);
  // The score stays in this browser.
  await page.reload();
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByTestId("lab-score")).toHaveAttribute("data-right", right);
  await page.screenshot({ path: test.info().outputPath("lab.png"), fullPage: true });
});
