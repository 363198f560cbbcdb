import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MasterSecret } from "@tokensmith/core";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, TEST_MASTER_SECRET, type RunningServer } from "./support/server.js";

/**
 * What someone with a copy of the database gets: no usable private key, no secret to sign with,
 * no token, session, device cookie or password in the clear — everything secret is sealed with the master
 * secret, which is not in the database.
 */
let database: TestDatabase;
let server: RunningServer;
const secrets: string[] = [];
let publicKeys: KeyObject[] = [];

async function allValues(): Promise<string[]> {
  if (database.kind === "sqlite") {
    const db = new Sqlite(database.file!, { readonly: true });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    const values = tables.flatMap((table) => (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).flatMap(Object.values));
    db.close();
    return values.filter((v): v is string => typeof v === "string");
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows: tables } = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
  const values: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await client.query(`SELECT * FROM "${table_name}"`);
    for (const row of rows) for (const v of Object.values(row)) if (typeof v === "string") values.push(v);
  }
  await client.end();
  return values;
}

async function signingKeys(): Promise<{ kid: string; alg: string; sealedKey: string }[]> {
  const sql = `SELECT "kid", "alg", "sealedKey" FROM "SigningKey"`;
  if (database.kind === "sqlite") {
    const db = new Sqlite(database.file!, { readonly: true });
    const rows = db.prepare(sql).all() as { kid: string; alg: string; sealedKey: string }[];
    db.close();
    return rows;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query(sql);
  await client.end();
  return rows;
}

/** Every way a stored string could hold key material: as text, JSON (a JWK), base64, base64url, hex. */
function candidates(value: string): (string | Buffer | object)[] {
  const out: (string | Buffer | object)[] = [value];
  try {
    out.push(JSON.parse(value) as object);
  } catch {}
  for (const encoding of ["base64", "base64url", "hex"] as const) out.push(Buffer.from(value, encoding));
  for (const part of value.split(".")) out.push(Buffer.from(part, "base64url"));
  return out;
}

/** A private key that signs something one of the published keys accepts: what minting needs. */
function usablePrivateKey(candidate: string | Buffer | object): boolean {
  const attempts: (() => KeyObject)[] = [];
  if (typeof candidate === "string") attempts.push(() => createPrivateKey(candidate));
  else if (Buffer.isBuffer(candidate)) {
    attempts.push(() => createPrivateKey({ key: candidate, format: "der", type: "pkcs8" }), () => createPrivateKey({ key: candidate, format: "der", type: "sec1" }));
  } else attempts.push(() => createPrivateKey({ key: candidate as never, format: "jwk" }));
  for (const attempt of attempts) {
    let key: KeyObject;
    try {
      key = attempt();
    } catch {
      continue;
    }
    const data = Buffer.from("a token's header.payload");
    const algorithm = key.asymmetricKeyType === "ed25519" ? null : "sha256";
    const signature = sign(algorithm, data, key);
    if (publicKeys.some((pub) => pub.asymmetricKeyType === key.asymmetricKeyType && verify(algorithm, data, pub, signature))) return true;
  }
  return false;
}

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "admin-password-1", KEY_PUBLISH_DELAY: "1 hour" });
  const admin = basicAuth("admin", "admin-password-1");
  for (let i = 0; i < 3; i++) {
    const res = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: admin, body: { jwt_token_description: `t${i}`, jwt_token_life: "1 day" } });
    secrets.push(res.body.jwt_token);
  }
  // A next key too: published, its private half sealed like the current one's.
  expect((await request(`${server.url}/api/trpc/keys.rotate`, { method: "POST", auth: admin, body: {} })).status).toBe(200);
  const login = await fetch(`${server.url}/api/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ username: "admin", password: "admin-password-1" }),
  });
  // The session cookie and the device cookie: neither is stored in the clear.
  const cookies = login.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=")[1]!);
  expect(cookies).toHaveLength(2);
  secrets.push(...cookies, "admin-password-1");
  const jwks = await request(`${server.url}/.well-known/jwks.json`);
  publicKeys = jwks.body.keys.map((jwk: object) => createPublicKey({ key: jwk as never, format: "jwk" }));
  expect(publicKeys).toHaveLength(2);
  await server.stop();
});
afterAll(() => server?.stop());

const masterSecret = () =>
  database.kind === "sqlite" ? fs.readFileSync(path.join(path.dirname(database.file!), "tokensmith.secret"), "utf8").trim() : TEST_MASTER_SECRET;

describe("a copy of the database alone", () => {
  it("holds no usable private key, no token, session cookie, password or master secret", async () => {
    const values = await allValues();
    expect(values.length).toBeGreaterThan(20);
    const usable = values.filter((value) => candidates(value).some(usablePrivateKey));
    expect(usable).toEqual([]);
    for (const secret of [...secrets, masterSecret()]) expect(values.filter((v) => v.includes(secret))).toEqual([]);
  });

  it("would be caught by this scan if a key were stored unsealed (the detector works)", async () => {
    const keys = await signingKeys();
    expect(keys.map((k) => k.sealedKey.split(".")[0])).toEqual(["v1", "v1"]);
    // Opened with the master secret — which the copy does not have — each sealed value is a usable key.
    const master = MasterSecret.from(masterSecret());
    const opened = keys.map((k) => master.open(k.sealedKey, `signing-key:${k.kid}:${k.alg}`));
    expect(opened.filter((key) => usablePrivateKey(key))).toHaveLength(2);
  });
});
