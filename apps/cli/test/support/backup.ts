import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the built CLI without blocking this process (spawnSync would), so that requests to a
 * running server can go on while it works.
 */
export function cli(env: Record<string, string>, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** A Tokensmith server's REST API, as an administrator and as each token's holder. */
export function restApi(url: () => string, admin: string) {
  const call = async (path: string, init: { method?: string; auth: string; body?: unknown }) => {
    const response = await fetch(`${url()}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: init.auth, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    async create(description: string): Promise<{ id: string; jwt: string }> {
      const res = await call("/v1alpha/token/", { method: "POST", auth: admin, body: { jwt_token_description: description, jwt_token_life: "1 day" } });
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
      return { id: res.body.jwt_token_id, jwt: res.body.jwt_token };
    },
    async revoke(id: string): Promise<number> {
      return (await call(`/v1alpha/token/${id}`, { method: "DELETE", auth: admin })).status;
    },
    /** What the token's holder gets from /token/self: 200 while it is in force, 401 otherwise. */
    async self(jwt: string): Promise<number> {
      return (await call("/v1alpha/token/self", { auth: `Bearer ${jwt}` })).status;
    },
  };
}

/** Every row of every table (but SQLite's own counters), in a stable order: a database's whole state. */
export function dumpTables(file: string): Record<string, unknown[]> {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name`)
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [table, (db.prepare(`SELECT * FROM "${table}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort()]),
    );
  } finally {
    db.close();
  }
}

/** One statement on a SQLite file, from outside the server. */
export function query<T>(file: string, text: string, ...params: unknown[]): T[] {
  const db = new Sqlite(file, { timeout: 5000 });
  try {
    const statement = db.prepare(text);
    return statement.reader ? (statement.all(...params) as T[]) : (statement.run(...params), []);
  } finally {
    db.close();
  }
}

export const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** A message for an operator: no stack trace. */
export const noStack = (text: string) => !/\n\s+at /.test(text);
