import fs from "node:fs";
import { TRPCError } from "@trpc/server";
import os from "node:os";
import path from "node:path";
import { hashPassword, signingKey } from "@tokensmith/core";
import { openDatabase, type OpenedDatabase } from "@tokensmith/db";
import { loadConfig } from "../src/config.js";
import { createCaller } from "../src/root.js";
import { createContextInner, createRequestContext, type Services } from "../src/context/index.js";
import { createLoginLimiter } from "../src/auth/rate-limit.js";
import { VerifiedTokenCache } from "../src/auth/verified-tokens.js";
import { LastUsedRecorder } from "../src/auth/last-used.js";
import type { Caller } from "../src/auth/caller.js";

export interface TestEnv {
  services: Services;
  opened: OpenedDatabase;
  dir: string;
  addUser(username: string, password?: string, isAdmin?: boolean): Promise<Caller>;
  as(caller: Caller | null): ReturnType<typeof createCaller>;
  /** A caller authenticated the real way, from an Authorization: Bearer header. */
  bearer(token: string, ip?: string): Promise<ReturnType<typeof createCaller>>;
  close(): Promise<void>;
}

/** A real SQLite file in a temp folder, migrated exactly as the service does on start. */
export async function createTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-api-"));
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, "test.db")}`, ...env });
  const opened = await openDatabase(config.databaseFile);
  const services: Services = {
    db: opened.db,
    config,
    signingKey: await signingKey("t".repeat(32)),
    tokens: opened.tokens,
    verifiedTokens: new VerifiedTokenCache(),
    lastUsed: new LastUsedRecorder(opened.db),
    loginLimiter: createLoginLimiter(),
  };
  return {
    services,
    opened,
    dir,
    async addUser(username, password = "password-" + username, isAdmin = false) {
      const user = await opened.db.user.create({
        data: { username, passwordHash: await hashPassword(password), isAdmin },
      });
      return { userId: user.id, username, isAdmin, via: "basic" };
    },
    as: (caller) => createCaller(createContextInner({ ...services, caller })),
    bearer: async (token, ip = "127.0.0.1") =>
      createCaller(await createRequestContext({ ...services, headers: { authorization: `Bearer ${token}` }, request: { ip } })),
    async close() {
      await opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** "OK", or the TRPCError code a call failed with: compact assertions on who may do what. */
export const code = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "OK",
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );
