import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "./chromium";
import type { AppOptions } from "./tests/fixtures";

// The servers under test: the release binary that `make build` produced,
// each on a fresh SQLite file of its own, on a port of its own. The second
// one issues access tokens that live 10 s, so that a test can watch a
// revoked JWT keep working and then die, without waiting minutes.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const repoRoot = resolve(__dirname, "..");
const serverBin = process.env.AUTHLAB_BIN ?? join(repoRoot, "target", "release", "authlab");

function server(port: number, extraEnv: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "authlab-e2e-"));
  const url = `http://127.0.0.1:${port}`;
  return {
    command: serverBin,
    cwd: repoRoot,
    url: `${url}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? join(repoRoot, "target", "site"),
      AUTHLAB_DATABASE_URL: `sqlite://${join(dataDir, "authlab.db")}`,
      AUTHLAB_DATA_DIR: dataDir,
      AUTHLAB_LOGIN_MAX_FAILURES: "1000",
      AUTHLAB_LOGIN_MAX_FAILURES_PER_ADDRESS: "1000",
      RUST_LOG: "warn",
      ...extraEnv,
    },
  };
}

// Projects: `setup` logs in once per mode and role and saves each browser's
// storageState; `en` and `ko` run the whole suite in each language (the
// browser's locale sets Accept-Language); the specs under tests/modes/ run
// once per mode (`mode` is a project option, see fixtures.ts).
const perMode = /modes\/.*\.spec\.ts/;
export default defineConfig<AppOptions>({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    ...chromium,
    baseURL,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "en", testIgnore: perMode, dependencies: ["setup"], use: { locale: "en-US" } },
    { name: "ko", testIgnore: perMode, dependencies: ["setup"], use: { locale: "ko-KR" } },
    { name: "en-session", testMatch: perMode, dependencies: ["setup"], use: { locale: "en-US", mode: "session" } },
    { name: "en-jwt", testMatch: perMode, dependencies: ["setup"], use: { locale: "en-US", mode: "jwt" } },
    { name: "ko-session", testMatch: perMode, dependencies: ["setup"], use: { locale: "ko-KR", mode: "session" } },
    { name: "ko-jwt", testMatch: perMode, dependencies: ["setup"], use: { locale: "ko-KR", mode: "jwt" } },
  ],
  // Access tokens of the saved logins outlive the whole run (15 min), so no
  // two tests ever spend the same saved refresh token.
  webServer: [server(port, { AUTHLAB_ACCESS_TTL: "900" }), server(port + 1, { AUTHLAB_ACCESS_TTL: "10", AUTHLAB_RACE_ACCESS_TTL: "6" })],
});
