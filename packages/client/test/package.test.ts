import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startServer, type RunningServer, type TestDatabase } from "@tokensmith/testkit";

/**
 * The packed tarball in a fresh TypeScript project outside the repository: it installs with
 * nothing else from this repo, its types are real (a usage file checks under `strict` without
 * @types/node, a misspelt field does not), and the compiled usage runs against a live server.
 */
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = path.join(PACKAGE_DIR, "test/fixtures/consumer");
const ADMIN_PASSWORD = "client-admin-password";
let database: TestDatabase;
let server: RunningServer;
let project: string;

const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });

beforeAll(async () => {
  if (!fs.existsSync(path.join(PACKAGE_DIR, "dist/index.js"))) throw new Error("packages/client/dist is missing: run `pnpm build` first");
  database = await createTestDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD });
  project = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-client-consumer-"));
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("the packed @tokensmith/client", () => {
  it("depends on @trpc/client and @trpc/server only, and declares nothing of the server's", () => {
    run("pnpm", ["pack", "--pack-destination", project], PACKAGE_DIR);
    const tarball = fs.readdirSync(project).find((file) => file.endsWith(".tgz"))!;
    fs.renameSync(path.join(project, tarball), path.join(project, "tokensmith-client.tgz"));
    run("tar", ["-xzf", "tokensmith-client.tgz"], project);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, "package/package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@trpc/client", "@trpc/server"]);
    expect(JSON.stringify(manifest)).not.toMatch(/workspace:|src\//);
    const declarations = fs.readFileSync(path.join(project, "package/dist/index.d.ts"), "utf8");
    expect(declarations).not.toMatch(/@tokensmith\/|node:|Prisma|\bBuffer\b/);
    expect(fs.readFileSync(path.join(project, "package/dist/index.js"), "utf8")).not.toMatch(/\bBuffer\.|@tokensmith\//);
  });

  it("installs into a fresh project, type-checks under strict, refuses a misspelt field, and runs", () => {
    for (const file of ["usage.ts", "browser.ts", "misspelt.ts", "tsconfig.json", "tsconfig.browser.json", "tsconfig.misspelt.json"]) fs.copyFileSync(path.join(FIXTURE, file), path.join(project, file));
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({
        name: "client-consumer",
        private: true,
        type: "module",
        dependencies: { "@tokensmith/client": "file:./tokensmith-client.tgz" },
        devDependencies: { typescript: "5.9.3", "@types/node": "20.19.0" },
      }),
    );
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project);
    expect(fs.readdirSync(path.join(project, "node_modules/@tokensmith"))).toEqual(["client"]);
    const tsc = path.join(project, "node_modules/.bin/tsc");
    run(tsc, ["-p", "tsconfig.json"], project);
    // In a browser project: DOM only, no Node types.
    run(tsc, ["-p", "tsconfig.browser.json"], project);

    const misspelt = spawnSync(tsc, ["-p", "tsconfig.misspelt.json"], { cwd: project, encoding: "utf8" });
    expect(misspelt.status).not.toBe(0);
    expect(misspelt.stdout).toMatch(/'descripton' does not exist/);
    expect(misspelt.stdout).toMatch(/'expiresAtt' does not exist/);

    const output = run("node", ["out/usage.js"], project, { TOKENSMITH_URL: server.url, ADMIN_PASSWORD });
    const result = JSON.parse(output.trim().split("\n").pop()!);
    expect(result).toMatchObject({ listed: true, description: "from outside", endpoints: ["GET /v1alpha/token/*"], refused: "FORBIDDEN" });
    expect(result.requests).toBeGreaterThanOrEqual(3);
  });
});
