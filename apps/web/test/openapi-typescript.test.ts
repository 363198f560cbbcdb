import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, testDatabase, type RunningServer } from "./support/server.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * A client generated from the document, as someone in another language would: openapi-typescript
 * turns the served /v1alpha/openapi.json into types, a small openapi-fetch program that uses them
 * compiles under `strict` (a misspelt field must not) and runs against the live server.
 */
const WEB = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = path.join(WEB, "test/fixtures/openapi-client");
// Inside apps/web, so the program finds openapi-fetch in its node_modules.
const PROJECT = path.join(WEB, "test-results/openapi-client");
const TSC = path.join(WEB, "../../node_modules/.bin/tsc");
const ADMIN_PASSWORD = "generated-admin-password";
let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD });
  fs.rmSync(PROJECT, { recursive: true, force: true });
  fs.mkdirSync(PROJECT, { recursive: true });
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

it("openapi-typescript types compile in a strict program that creates, lists, gets and deletes a token", async () => {
  const document = await (await fetch(`${server.url}/v1alpha/openapi.json`)).json();
  fs.writeFileSync(path.join(PROJECT, "schema.d.ts"), astToString(await openapiTS(document)));
  for (const file of ["main.ts", "tsconfig.json"]) fs.copyFileSync(path.join(FIXTURE, file), path.join(PROJECT, file));
  fs.writeFileSync(path.join(PROJECT, "package.json"), JSON.stringify({ type: "module", private: true }));
  execFileSync(TSC, ["-p", "tsconfig.json"], { cwd: PROJECT, encoding: "utf8", stdio: "pipe" });

  const output = execFileSync(process.execPath, ["out/main.js"], {
    cwd: PROJECT,
    encoding: "utf8",
    env: { ...process.env, TOKENSMITH_URL: server.url, ADMIN_PASSWORD },
  });
  const result = JSON.parse(output.trim().split("\n").pop()!);
  expect(result).toMatchObject({
    got: 200,
    description: "from a generated client",
    listed: true,
    refused: 403,
    refusal: expect.stringContaining("may not call DELETE"),
    deleted: "Token deleted",
    afterDelete: 401,
  });
  expect(result.lifeRemaining).toBeGreaterThan(3500);
}, 120_000);
