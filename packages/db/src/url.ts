import path from "node:path";
import { DEFAULT_DATABASE_FILE } from "./paths.js";

export type DatabaseTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export class DatabaseUrlError extends Error {}

/**
 * DATABASE_URL picks the database: `file:…` or a path is SQLite, `postgres://…` or
 * `postgresql://…` is PostgreSQL, anything else with a scheme is refused (it used to be taken for a
 * file name, and the service silently ran on a new SQLite file called "postgresql:/…").
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { kind: "sqlite", file: DEFAULT_DATABASE_FILE };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new DatabaseUrlError(`DATABASE_URL is not a valid PostgreSQL URL`);
    }
    return { kind: "postgres", url };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme !== undefined && scheme.toLowerCase() !== "file") {
    throw new DatabaseUrlError(
      `DATABASE_URL "${redact(url)}" is neither SQLite (file:… or a path) nor PostgreSQL (postgres://… or postgresql://…)`,
    );
  }
  const withoutScheme = scheme === undefined ? url : url.slice("file:".length);
  const file = withoutScheme.split("?")[0] ?? "";
  if (file === "") throw new DatabaseUrlError(`DATABASE_URL "${url}" names no file`);
  return { kind: "sqlite", file: path.resolve(file) };
}

/** What logs and messages may show of a database URL: never a password. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
}

export function describeTarget(target: DatabaseTarget): string {
  return target.kind === "sqlite" ? target.file : `PostgreSQL ${redact(target.url)}`;
}
