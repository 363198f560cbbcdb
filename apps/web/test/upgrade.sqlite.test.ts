import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, type RunningServer } from "./support/server.js";

/**
 * A database made by the previous release (HS256 tokens, its secret in the clear in the Setting
 * table — see fixtures/previous-release/tokens.json for how it was made): after the upgrade its
 * tokens work until they expire, nobody re-issues anything, and the clear secret is gone.
 */
const FIXTURE = fileURLToPath(new URL("./fixtures/previous-release/", import.meta.url));
const old = JSON.parse(fs.readFileSync(path.join(FIXTURE, "tokens.json"), "utf8")) as Record<
  "allEndpoints" | "limited" | "revoked",
  { id: string; token: string; expiresAt: string }
>;
let dir: string;
let file: string;
let server: RunningServer;
let clearSecret: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-upgrade-"));
  file = path.join(dir, "tokensmith.db");
  fs.copyFileSync(path.join(FIXTURE, "tokensmith.db"), file);
  const before = new Sqlite(file, { readonly: true });
  clearSecret = (before.prepare(`SELECT value FROM "Setting" WHERE key = 'jwt_secret'`).get() as { value: string }).value;
  before.close();
  server = await startServer({ DATABASE_URL: `file:${file}` });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const self = (token: string) => request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${token}` });

describe("upgrading a database of the previous release", () => {
  it("keeps its tokens working, with their limits, and its revocations", async () => {
    expect(new Date(old.allEndpoints.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(decodeProtectedHeader(old.allEndpoints.token)).toEqual({ alg: "HS256", typ: "JWT" });
    expect((await self(old.allEndpoints.token)).body).toMatchObject({ jwt_token_id: old.allEndpoints.id, username: "admin" });
    const limited = `Bearer ${old.limited.token}`;
    expect((await request(`${server.url}/v1alpha/token/`, { auth: limited })).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: limited, body: { jwt_token_description: "x", jwt_token_life: "1 hour" } })).status).toBe(403);
    expect((await self(old.revoked.token)).status).toBe(401);
  });

  it("moves the HS256 secret under the master secret and deletes its clear copy", async () => {
    const db = new Sqlite(file, { readonly: true });
    const settings = db.prepare(`SELECT key, value FROM "Setting"`).all() as { key: string; value: string }[];
    const legacy = db.prepare(`SELECT kid, alg, state, publicJwk, sealedKey FROM "SigningKey" WHERE kid = 'legacy-hs256'`).get() as Record<string, string | null>;
    const dump = JSON.stringify(db.prepare(`SELECT * FROM "SigningKey"`).all());
    db.close();
    // No clear secret left among the settings: only the marker of a one-time scrub.
    expect(settings.map((s) => s.key)).toEqual(["webhook_audit_urls_scrubbed"]);
    expect(legacy).toMatchObject({ alg: "HS256", state: "retired", publicJwk: null });
    expect(dump).not.toContain(clearSecret);
    expect(fs.statSync(path.join(dir, "tokensmith.secret")).mode & 0o777).toBe(0o600);
  });

  it("signs new tokens with ES256, never publishes the HS256 secret, and lists the old key with its live tokens", async () => {
    const admin = basicAuth("admin", "admin-password-1");
    const created = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: admin, body: { jwt_token_description: "new", jwt_token_life: "1 hour" } });
    expect(decodeProtectedHeader(created.body.jwt_token)).toMatchObject({ alg: "ES256", kid: expect.any(String) });
    const jwks = await request(`${server.url}/.well-known/jwks.json`);
    expect(jwks.body.keys.map((k: { alg: string }) => k.alg)).toEqual(["ES256"]);
    const keys = await request(`${server.url}/api/trpc/keys.list`, { auth: admin });
    const legacy = keys.body.result.data.find((k: { kid: string }) => k.kid === "legacy-hs256");
    expect(legacy).toMatchObject({ alg: "HS256", state: "retired", liveTokens: 2, changesAt: old.allEndpoints.expiresAt });
  });

  it("still works after a restart", async () => {
    await server.stop();
    server = await startServer({ DATABASE_URL: `file:${file}` });
    expect((await self(old.allEndpoints.token)).status).toBe(200);
    expect((await self(old.revoked.token)).status).toBe(401);
  });
});
