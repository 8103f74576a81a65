// Logs in once per mode and role through the real login form and saves the
// browser's storageState, which the fixtures of fixtures.ts start from.
import { test as setup } from "@playwright/test";
import { accounts, stateFile, type Role } from "./fixtures";
import { expectOnMe, gotoHydrated, submitLogin, type Mode } from "./helpers";

for (const mode of ["session", "jwt"] as const satisfies readonly Mode[]) {
  for (const role of ["user", "admin"] as const satisfies readonly Role[]) {
    setup(`log in as ${role} with ${mode}`, async ({ page }) => {
      const { username, password } = accounts[role];
      await gotoHydrated(page, "/login");
      await submitLogin(page, mode, username, password);
      await expectOnMe(page, mode, username);
      await page.context().storageState({ path: stateFile(mode, role) });
    });
  }
}
