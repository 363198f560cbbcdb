export { openDatabase, type Db, type OpenedDatabase } from "./database.js";
export { applyMigrations } from "./migrate.js";
export { createTokenReader, type TokenReader, type TokenAuthRecord } from "./token-reader.js";
export { inForce, inForceWhere } from "./in-force.js";
export { ensureFirstAdmin, ensureJwtSecret, type FirstAdminResult } from "./bootstrap.js";
export { databaseFileFromUrl, DEFAULT_DATABASE_FILE, MIGRATIONS_DIR, REPO_ROOT } from "./paths.js";
export type { User, AccessToken, Session, AuditEvent, Prisma } from "./generated/prisma/client.js";
