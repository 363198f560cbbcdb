// prisma/schema.prisma (SQLite) is the one source of the data model; the PostgreSQL schema is
// derived from it, so the two cannot drift: only the provider, the client's output folder and the
// column type of timestamps (timestamptz, so raw SQL and every client agree on UTC) differ.
// `--check` fails when the committed PostgreSQL schema is not what this script would write.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(fileURLToPath(new URL("../../../", import.meta.url)));
const source = path.join(root, "prisma", "schema.prisma");
const target = path.join(root, "prisma", "postgres", "schema.prisma");

export function derivePostgresSchema(text) {
  const lines = text.split("\n").map((line) => {
    if (/^\s*provider\s*=\s*"sqlite"/.test(line)) return line.replace('"sqlite"', '"postgresql"');
    if (/^\s*output\s*=/.test(line)) return line.replace(/"[^"]*"/, '"../../packages/db/src/generated/postgres"');
    if (/^\s+\w+\s+DateTime\??(\s|$)/.test(line) && !line.includes("@db.")) return `${line.trimEnd()} @db.Timestamptz(3)`;
    return line;
  });
  return [
    "// GENERATED from prisma/schema.prisma by packages/db/scripts/derive-postgres-schema.mjs: edit that file instead.",
    ...lines,
  ].join("\n");
}

const derived = derivePostgresSchema(fs.readFileSync(source, "utf8"));
if (process.argv.includes("--check")) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (committed !== derived) {
    console.error(`${path.relative(root, target)} is out of date: run node packages/db/scripts/derive-postgres-schema.mjs`);
    process.exit(1);
  }
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, derived);
}
