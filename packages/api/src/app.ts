import { signingKey } from "@tokensmith/core";
import { ensureFirstAdmin, ensureJwtSecret, openDatabase, type FirstAdminResult } from "@tokensmith/db";
import type { Config } from "./config.js";
import { createContextInner, type Services } from "./context/index.js";
import { createV1alphaHandler } from "./rest/v1alpha.js";
import { createTrpcHandler } from "./node/trpc-handler.js";
import { createLoginLimiter } from "./auth/rate-limit.js";
import { VerifiedTokenCache } from "./auth/verified-tokens.js";
import { LastUsedRecorder } from "./auth/last-used.js";
import { resolveCaller } from "./auth/resolve-caller.js";
import type { Caller } from "./auth/caller.js";

export interface OpenedServices {
  services: Services;
  close(): Promise<void>;
}

/** Opens the database (migrating it) and the signing key: everything a caller of the procedures needs. */
export async function openServices(config: Config): Promise<OpenedServices> {
  const opened = await openDatabase(config.databaseFile);
  try {
    const secret = await ensureJwtSecret(opened.db, config.jwtSecret);
    const services: Services = {
      db: opened.db,
      config,
      signingKey: await signingKey(secret),
      tokens: opened.tokens,
      verifiedTokens: new VerifiedTokenCache(),
      lastUsed: new LastUsedRecorder(opened.db),
      loginLimiter: createLoginLimiter(),
    };
    return { services, close: opened.close };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

export interface Tokensmith extends OpenedServices {
  firstAdmin: FirstAdminResult;
  handleRest: ReturnType<typeof createV1alphaHandler>;
  handleTrpc: ReturnType<typeof createTrpcHandler>;
  /** The signed-in dashboard user for a Cookie header, or null: what page gating needs. */
  sessionCaller(cookieHeader: string | undefined): Promise<Caller | null>;
}

/** The service: its services, a first admin when there is no user yet, and the HTTP handlers. */
export async function createTokensmith(config: Config): Promise<Tokensmith> {
  const opened = await openServices(config);
  const { services } = opened;
  try {
    const firstAdmin = await ensureFirstAdmin(services.db, { username: config.adminUsername, password: config.adminPassword });
    return {
      ...opened,
      firstAdmin,
      handleRest: createV1alphaHandler(services),
      handleTrpc: createTrpcHandler(services),
      sessionCaller: async (cookie) => (cookie ? (await resolveCaller(createContextInner(services), { cookie })).caller : null),
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
