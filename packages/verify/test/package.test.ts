import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_KEY, Tokensmith } from "./support/tokensmith.js";

/**
 * The packed tarball, installed into a fresh project outside the repository (no workspace, nothing
 * from this repo but the tarball): it verifies a token against the live server, and its types
 * check under `strict`.
 */
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = path.join(PACKAGE_DIR, "test/fixtures/consumer");
let tokensmith: Tokensmith;
let project: string;

const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });

beforeAll(async () => {
  if (!fs.existsSync(path.join(PACKAGE_DIR, "dist/index.js"))) throw new Error("packages/verify/dist is missing: run `pnpm build` first");
  tokensmith = await Tokensmith.start();
  project = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-verify-consumer-"));
});
afterAll(async () => {
  await tokensmith?.stop();
  await tokensmith?.database.drop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

// npm install and tsc on a shared, busy machine take minutes at worst: the suite's 60 s is for requests.
describe("the packed tarball", { timeout: 240_000 }, () => {
  it("names only jose as a dependency, bundles the endpoint matcher, and declares nothing from @tokensmith/*", () => {
    run("pnpm", ["--filter", "@tokensmith/verify", "pack", "--pack-destination", project], PACKAGE_DIR);
    const tarball = fs.readdirSync(project).find((file) => file.endsWith(".tgz"));
    expect(tarball).toMatch(/^tokensmith-verify-\d+\.\d+\.\d+\.tgz$/);
    fs.renameSync(path.join(project, tarball!), path.join(project, "tokensmith-verify.tgz"));
    run("tar", ["-xzf", "tokensmith-verify.tgz"], project);
    const unpacked = path.join(project, "package");
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8"));
    expect(manifest.dependencies).toEqual({ jose: expect.stringMatching(/^\d/) });
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual(["express", "fastify"]);
    expect(manifest.peerDependenciesMeta).toEqual({ express: { optional: true }, fastify: { optional: true } });
    expect(JSON.stringify(manifest)).not.toContain("workspace:");
    // The workspace's "source" condition points at src/, which is not packed.
    expect(JSON.stringify(manifest.exports)).not.toContain("src/");
    const files = fs.readdirSync(path.join(unpacked, "dist"));
    expect(files).toEqual(expect.arrayContaining(["index.js", "index.d.ts", "express.js", "express.d.ts", "fastify.js", "fastify.d.ts"]));
    for (const file of files) {
      const text = fs.readFileSync(path.join(unpacked, "dist", file), "utf8");
      if (file.endsWith(".d.ts")) expect(text, file).not.toContain("@tokensmith/");
      expect(text, file).not.toMatch(/(from\s*|import\s*\(\s*|require\s*\(\s*)["']@tokensmith\//);
    }
    // In index.js or a chunk it shares with the adapters (which need core's DPoP rule too).
    const code = files.filter((file) => file.endsWith(".js")).map((file) => fs.readFileSync(path.join(unpacked, "dist", file), "utf8"));
    expect(code.join("\n")).toContain("function normalizeRequestPath");
    expect(code.join("\n")).toContain("function checkDpopProof");
    expect(code.join("\n")).not.toMatch(/from\s*["']node:/);
  });

  it("installs into a fresh project and verifies a token against the live server through Express", async () => {
    for (const file of ["sample.mjs", "usage.ts", "tsconfig.json"]) fs.copyFileSync(path.join(FIXTURE, file), path.join(project, file));
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({
        name: "verify-consumer",
        private: true,
        type: "module",
        dependencies: { "@tokensmith/verify": "file:./tokensmith-verify.tgz", jose: "6.2.17", express: "5.3.0", fastify: "5.12.8" },
        devDependencies: { typescript: "5.9.3", "@types/express": "5.0.6", "@types/node": "20.19.0" },
      }),
    );
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project);
    expect(fs.existsSync(path.join(project, "node_modules/@tokensmith/verify/dist/index.js"))).toBe(true);
    expect(fs.readdirSync(path.join(project, "node_modules/@tokensmith"))).toEqual(["verify"]);

    const valid = await tokensmith.createToken({ jwt_token_endpoints: ["GET /api/orders/*"] });
    const revoked = await tokensmith.createToken();
    await tokensmith.revoke(revoked.jwt_token_id);
    const output = run("node", ["sample.mjs"], project, { ISSUER: tokensmith.url, FEED_KEY, TOKEN: valid.jwt_token, REVOKED_TOKEN: revoked.jwt_token });
    const answers = JSON.parse(output.trim().split("\n").pop()!);
    expect(answers.valid).toEqual({
      status: 200,
      body: { caller: { userId: expect.any(String), username: "admin", tokenId: valid.jwt_token_id, endpoints: ["GET /api/orders/*"], allowedIps: null, audience: null, expiresAt: expect.any(String) } },
    });
    expect(answers.revoked).toEqual({ status: 401, body: { error: "invalid_token", message: expect.any(String) } });
    expect(answers.none.status).toBe(401);
    expect(answers.direct).toEqual({ isVerifyError: true, status: 401, code: "invalid_token" });
  });

  it("its declarations type-check a usage file under strict (tsc --noEmit, skipLibCheck off)", () => {
    let output = "";
    try {
      output = run(path.join(project, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], project);
    } catch (error) {
      output = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
      throw new Error(`tsc failed in the consumer project:\n${output}`);
    }
    expect(output).toBe("");
  });
});
