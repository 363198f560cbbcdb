import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface Migration {
  name: string;
  sql: string;
  /** Hex SHA-256 of the file's bytes, as Prisma records it. */
  checksum: string;
}

/** Prisma's layout: <dir>/<timestamp>_<name>/migration.sql, applied in name order. */
export function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}
