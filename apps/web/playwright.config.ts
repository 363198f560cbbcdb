import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3217);
/** Where the e2e server says which database it uses (for specs that run the admin CLI on it). */
process.env.E2E_SERVER_STATE ??= path.join(os.tmpdir(), `tokensmith-e2e-${PORT}.json`);

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser download is not needed. */
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    permissions: ["clipboard-read", "clipboard-write"],
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "dashboard", testIgnore: /sign-in-limit/ },
    // Locks this IP out of signing in for a minute, so it runs last.
    { name: "sign-in-limit", testMatch: /sign-in-limit/, dependencies: ["dashboard"] },
  ],
  webServer: {
    command: "node e2e/start-server.mjs",
    url: `http://127.0.0.1:${PORT}/login`,
    // Request lines would bury the test report; warnings and errors still show.
    env: { PORT: String(PORT), LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", E2E_SERVER_STATE: process.env.E2E_SERVER_STATE },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
  },
});
