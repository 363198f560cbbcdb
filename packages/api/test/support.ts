import { TRPCError } from "@trpc/server";
import { hashPassword } from "@tokensmith/core";
import { createTestDatabase } from "@tokensmith/testkit";
import type { Db } from "@tokensmith/db";
import { loadConfig } from "../src/config.js";
import { openServices } from "../src/app.js";
import { createCaller } from "../src/root.js";
import { createContextInner, createRequestContext, type Services } from "../src/context/index.js";
import type { Caller } from "../src/auth/caller.js";

export interface TestEnv {
  services: Services;
  opened: { db: Db; url: string };
  addUser(username: string, password?: string, isAdmin?: boolean): Promise<Caller>;
  as(caller: Caller | null): ReturnType<typeof createCaller>;
  /** A caller authenticated the real way, from an Authorization: Bearer header. */
  bearer(token: string, ip?: string): Promise<ReturnType<typeof createCaller>>;
  /** A caller authenticated from an Authorization: Basic header, counted against the guess limits. */
  basic(username: string, password: string, ip?: string): Promise<ReturnType<typeof createCaller>>;
  /** Someone not signed in yet, at `ip`: what signing in starts from. */
  anonymous(ip?: string): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

/** A real SQLite file in a temp folder, migrated exactly as the service does on start. */
export async function createTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: database.url, TOKENSMITH_SECRET: "t".repeat(32), ...env });
  const { services, close } = await openServices(config);
  const opened = { db: services.db, url: database.url };
  return {
    services,
    opened,
    async addUser(username, password = "password-" + username, isAdmin = false) {
      const user = await opened.db.user.create({
        data: { username, passwordHash: await hashPassword(password), isAdmin },
      });
      return { userId: user.id, username, isAdmin, via: "basic" };
    },
    as: (caller) => createCaller(createContextInner({ ...services, caller })),
    bearer: async (token, ip = "127.0.0.1") =>
      createCaller(await createRequestContext(services, { headers: { authorization: `Bearer ${token}` }, request: { ip } })),
    basic: async (username, password, ip = "127.0.0.1") =>
      createCaller(
        await createRequestContext(services, {
          headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` },
          request: { ip },
        }),
      ),
    anonymous: (ip = "127.0.0.1") => createCaller(createContextInner({ ...services, request: { ip } })),
    async close() {
      await close();
      await database.drop();
    },
  };
}

/** "OK", or the TRPCError code a call failed with: compact assertions on who may do what. */
export const code = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "OK",
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );

/** "OK", or the TRPCError code and message a call failed with: for refusals that must say why. */
export const refusal = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "OK",
    (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e)),
  );
