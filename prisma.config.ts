// Prisma CLI config (Prisma 7 reads the datasource URL from here, not from the schema).
// `prisma generate` only checks that a schema-engine binary exists; where its CDN is unreachable
// we point it at any existing file so generation works offline. Only for generate: migrate and
// db push really run the engine (see ../shared/PRISMA-OFFLINE.md; the service applies migrations itself).
if (process.argv.includes("generate")) process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default {
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/tokensmith.db" },
};
