// Prints one closing line for the whole run — "tests: N passed, N failed" — from the JSON each
// runner wrote (vitest per package, Playwright for the e2e suite). Exits 1 if a file is missing.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
// Every suite runs on SQLite; the database-backed ones run again on PostgreSQL.
const sqlitePass = ["packages/endpoints", "packages/core", "packages/db", "packages/api", "packages/client", "packages/verify", "apps/web", "apps/cli"];
const postgresPass = ["packages/db", "packages/api", "packages/verify", "apps/web", "apps/cli"];
const vitestFiles = [
  ...sqlitePass.map((dir) => path.join(root, dir, "test-results", "vitest.json")),
  ...postgresPass.map((dir) => path.join(root, dir, "test-results", "vitest-postgres.json")),
];
const e2eFile = path.join(root, "apps/web/test-results/e2e.json");

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const file of vitestFiles) {
  if (!fs.existsSync(file)) { missing.push(file); continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
if (fs.existsSync(e2eFile)) {
  const { stats } = JSON.parse(fs.readFileSync(e2eFile, "utf8"));
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
} else {
  missing.push(e2eFile);
}
for (const file of missing) console.log(`no results from ${path.relative(root, file)} (that suite did not run to the end)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
