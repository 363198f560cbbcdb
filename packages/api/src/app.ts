import { signingKey } from "@tokensmith/core";
import { ensureFirstAdmin, ensureJwtSecret, openDatabase, type FirstAdminResult } from "@tokensmith/db";
import type { Config } from "./config.js";
import type { Services } from "./trpc.js";
import { createV1alphaHandler } from "./rest/v1alpha.js";
import { createTrpcHandler } from "./node/trpc-handler.js";

export interface Tokensmith {
  services: Services;
  firstAdmin: FirstAdminResult;
  handleRest: ReturnType<typeof createV1alphaHandler>;
  handleTrpc: ReturnType<typeof createTrpcHandler>;
  close(): Promise<void>;
}

/** Opens the database (migrating it), makes sure an admin and a signing secret exist, and wires the handlers. */
export async function createTokensmith(config: Config): Promise<Tokensmith> {
  const opened = await openDatabase(config.databaseFile);
  try {
    const firstAdmin = await ensureFirstAdmin(opened.db, { username: config.adminUsername, password: config.adminPassword });
    const secret = await ensureJwtSecret(opened.db, config.jwtSecret);
    const services: Services = { db: opened.db, config, signingKey: signingKey(secret) };
    return {
      services,
      firstAdmin,
      handleRest: createV1alphaHandler(services),
      handleTrpc: createTrpcHandler(services),
      close: opened.close,
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
