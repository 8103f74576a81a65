import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

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
      RUST_LOG: "warn",
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [server(port), server(port + 1, { AUTHLAB_ACCESS_TTL: "10" })],
});
