export { openDatabase, type Db, type OpenedDatabase, type OpenOptions } from "./database.js";
export { parseDatabaseUrl, describeTarget, redact, DatabaseUrlError, type DatabaseTarget } from "./url.js";
export { applyMigrations } from "./sqlite/migrate.js";
export { createTokenReader } from "./sqlite/token-reader.js";
export type * from "./contracts.js";
export { inForce, inForceWhere } from "./in-force.js";
export { ensureFirstAdmin, ensureJwtSecret, type FirstAdminResult } from "./bootstrap.js";
export { DEFAULT_DATABASE_FILE, MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR, REPO_ROOT } from "./paths.js";
export type { User, AccessToken, Session, AuditEvent, Prisma } from "./generated/prisma/client.js";
