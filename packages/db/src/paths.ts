import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root, found from this file (src/ and dist/ sit at the same depth). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");
export const POSTGRES_MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "postgres", "migrations");
export const DEFAULT_DATABASE_FILE = path.join(REPO_ROOT, "data", "tokensmith.db");
