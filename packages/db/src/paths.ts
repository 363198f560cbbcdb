import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root, found from this file (src/ and dist/ sit at the same depth). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");
export const DEFAULT_DATABASE_FILE = path.join(REPO_ROOT, "data", "tokensmith.db");

/**
 * `file:./x.db`, `file:/abs/x.db` or a plain path → an absolute file path.
 * Relative paths are relative to the working directory, as in every other tool.
 */
export function databaseFileFromUrl(url: string | undefined): string {
  if (!url) return DEFAULT_DATABASE_FILE;
  const withoutScheme = url.startsWith("file:") ? url.slice("file:".length) : url;
  const file = withoutScheme.split("?")[0] ?? "";
  if (file === "") throw new Error(`DATABASE_URL "${url}" names no file`);
  return path.resolve(file);
}
