import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "./chromium";

// `make test-cluster`: three instances of the release build behind nginx
// (cluster/run.sh), memory session store, round robin. The browser talks to
// nginx only, as a visitor of a real deployment would.
const port = Number(process.env.CLUSTER_E2E_PORT ?? 8290);
const repoRoot = resolve(__dirname, "..");

export default defineConfig({
  testDir: "./cluster",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    ...chromium,
  },
  projects: [
    { name: "en", use: { locale: "en-US" } },
    { name: "ko", use: { locale: "ko-KR" } },
  ],
  webServer: {
    command: join(repoRoot, "cluster", "run.sh"),
    cwd: repoRoot,
    url: `http://127.0.0.1:${port}/livez`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    // The runner stops its instances and nginx on SIGTERM.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      N: "3",
      STORE: "memory",
      STICKY: "0",
      PORT: String(port),
      BASE_PORT: String(Number(process.env.CLUSTER_E2E_BASE_PORT ?? 3291)),
      CLUSTER_DIR: mkdtempSync(join(tmpdir(), "authlab-cluster-e2e-")),
      AUTHLAB_LOGIN_MAX_FAILURES: "1000",
    },
  },
});
