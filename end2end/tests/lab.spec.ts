// The Lab through the page, in the project's language: predict, run, and
// see each outcome; the score counts the predictions. The attacks, the broken
// tokens and the replays; the propagation runs (on the server whose demo
// tokens live 6 s); what page script can read; a real cross-site form post.
import { expect, test } from "./fixtures";
import { gotoHydrated, shortTtlURL } from "./helpers";

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

test("a forced logout and a role change: the session client sees each at once, the JWT client later", async ({ browser, locale }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: shortTtlURL, locale });
  const page = await context.newPage();
  await gotoHydrated(page, "/lab");
  await page.getByTestId("lab-score-reset").click();
  for (const experiment of ["forced_logout", "role_change"]) {
    const card = page.locator(`[data-testid=propagation][data-experiment=${experiment}]`);
    await card.locator("[data-testid=guess-session][data-guess=at_once]").check();
    await card.locator("[data-testid=guess-jwt][data-guess=later]").check();
    await card.getByTestId("propagation-run").click();
    const result = card.getByTestId("propagation-result");
    // A run lasts the token's life (6 s) plus the leeway (5 s), at most.
    await expect(result).toBeVisible({ timeout: 30_000 });
    const took = (mode: string) => result.locator(`[data-testid=propagation-took][data-mode=${mode}]`);
    await expect(took("session")).toHaveAttribute("data-at-once", "true");
    await expect(took("jwt")).toHaveAttribute("data-at-once", "false");
    const sessionMs = Number(await took("session").getAttribute("data-ms"));
    const jwtMs = Number(await took("jwt").getAttribute("data-ms"));
    expect(jwtMs).toBeGreaterThan(sessionMs + 1000);
    await expect(result.getByTestId("race-timeline")).toBeVisible();
  }
  await expect(page.getByTestId("lab-score")).toHaveAttribute("data-total", "4");
  await expect(page.getByTestId("lab-score")).toHaveAttribute("data-right", "4");
  await page.screenshot({ path: test.info().outputPath("lab-propagation.png"), fullPage: true });
  await context.close();
});

for (const who of ["sessionUser", "jwtUser"] as const) {
  test(`page script cannot read the login cookie but reads a token in localStorage (${who})`, async ({ sessionUser, jwtUser }) => {
    const { page } = who === "sessionUser" ? sessionUser : jwtUser;
    await gotoHydrated(page, "/lab");
    await page.getByTestId("lab-score-reset").click();
    const card = page.getByTestId("script-read");
    await card.locator("[data-testid=guess-cookie][data-guess=no]").check();
    await card.locator("[data-testid=guess-storage][data-guess=yes]").check();
    await card.getByTestId("script-run").click();
    const result = card.getByTestId("script-result");
    await expect(result).toHaveAttribute("data-holds-login", "true");
    await expect(result).toHaveAttribute("data-sees-login", "false");
    await expect(result).toHaveAttribute("data-storage-read", "true");
    await expect(result.getByTestId("script-storage-read")).toHaveText(/^demo\.[0-9a-f]+\.not-a-credential$/);
    // What the card read is what this browser's script really sees.
    const cookie = await page.evaluate(() => document.cookie);
    expect(cookie).not.toContain("authlab_sid");
    expect(cookie).not.toContain("authlab_at");
    expect(await page.evaluate(() => localStorage.getItem("authlab_demo_token"))).toBeNull();
    await expect(page.getByTestId("lab-score")).toHaveAttribute("data-right", "2");
  });
}

test("without a login, the script card says there is no login cookie to hide", async ({ page }) => {
  await gotoHydrated(page, "/lab");
  const card = page.getByTestId("script-read");
  await card.getByTestId("script-run").click();
  await expect(card.getByTestId("script-result")).toHaveAttribute("data-holds-login", "false");
  await expect(card.getByTestId("script-no-login")).toBeVisible();
});

test("CSRF: a real page of another site posts the form; no cookie goes with it and the origin check refuses it", async ({ sessionUser }) => {
  const { page, context } = sessionUser;
  await gotoHydrated(page, "/lab");
  await page.getByTestId("lab-score-reset").click();
  const card = page.getByTestId("csrf");
  await card.locator("[data-testid=guess-accepted][data-guess=refused]").check();
  await card.locator("[data-testid=guess-cookie][data-guess=no]").check();
  const [attacker] = await Promise.all([context.waitForEvent("page"), card.getByTestId("csrf-open").click()]);
  // The other site: this server under its other loopback name.
  await expect(attacker.getByTestId("attacker-page")).toBeVisible();
  expect(new URL(attacker.url()).hostname).toBe("localhost");
  const crossSite = card.locator("[data-testid=csrf-attempt][data-cross-site=true]");
  await expect(crossSite).toHaveAttribute("data-status", "403");
  await expect(crossSite).toHaveAttribute("data-origin-check", "true");
  await expect(crossSite).toHaveAttribute("data-carried-login", "false");
  await expect(page.getByTestId("lab-score")).toHaveAttribute("data-right", "2");
  await attacker.screenshot({ path: test.info().outputPath("attacker.png") });
  await attacker.close();
  // The same form from this page: same-origin, with the cookie, reaches the route.
  await card.getByTestId("csrf-same-site").click();
  const here = card.locator("[data-testid=csrf-attempt][data-cross-site=false]");
  await expect(here).toHaveAttribute("data-status", "200");
  await expect(here).toHaveAttribute("data-carried-login", "true");
});
