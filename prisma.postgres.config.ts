// Prisma CLI config for the PostgreSQL schema, which is derived from prisma/schema.prisma (see
// packages/db/scripts/derive-postgres-schema.mjs). As for SQLite, generate works offline; the
// service applies prisma/postgres/migrations itself on start.
if (process.argv.includes("generate")) process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default {
  schema: "prisma/postgres/schema.prisma",
  migrations: { path: "prisma/postgres/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/tokensmith" },
};
