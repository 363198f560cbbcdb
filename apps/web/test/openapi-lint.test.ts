import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, testDatabase, type RunningServer } from "./support/server.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * The served document passes `redocly lint` with the recommended rules and the repository's
 * redocly.yaml (one rule off, with its reason written there): no error and no warning.
 */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const REDOCLY = path.join(ROOT, "apps/web/node_modules/.bin/redocly");
const PUBLIC_URL = "https://tokens.acme.test";
let database: TestDatabase;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "lint-admin-password", PUBLIC_URL });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-openapi-"));
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("redocly lint (recommended) finds nothing in /v1alpha/openapi.json; its server is PUBLIC_URL", async () => {
  const document = await (await fetch(`${server.url}/v1alpha/openapi.json`)).json();
  expect(document.servers).toEqual([expect.objectContaining({ url: PUBLIC_URL })]);
  const file = path.join(dir, "openapi.json");
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };
  const result = await promisify(execFile)(REDOCLY, ["lint", file, "--config", path.join(ROOT, "redocly.yaml"), "--format", "json"], { env, cwd: dir }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
  const report = JSON.parse(result.stdout);
  const problems = report.problems.map((p: { ruleId: string; message: string; location: Array<{ pointer: string }> }) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
}, 60_000);
