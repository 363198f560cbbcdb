// Prints one closing line for the whole run — "tests: N passed, N failed" — from the JSON each
// runner wrote (vitest per package, Playwright for the e2e suite). Exits 1 if a file is missing.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
// Every suite runs on SQLite; the database-backed ones run again on PostgreSQL.
const sqlitePass = ["packages/endpoints", "packages/addresses", "packages/core", "packages/db", "packages/api", "packages/client", "packages/verify", "apps/web", "apps/cli", "packages/docs-check"];
const postgresPass = ["packages/db", "packages/api", "packages/verify", "apps/web", "apps/cli"];
// Once, on its own: the container image, the compose files and the systemd unit (pnpm test:deploy).
const oncePass = ["packages/deploy-check"];
const vitestFiles = [
  ...sqlitePass.map((dir) => path.join(root, dir, "test-results", "vitest.json")),
  ...oncePass.map((dir) => path.join(root, dir, "test-results", "vitest.json")),
  ...postgresPass.map((dir) => path.join(root, dir, "test-results", "vitest-postgres.json")),
];
const e2eFile = path.join(root, "apps/web/test-results/e2e.json");

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
// Named at the end of the log, where a CI's tail shows them.
const failures = [];
for (const file of vitestFiles) {
  if (!fs.existsSync(file)) { missing.push(file); continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  for (const suite of r.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status !== "failed") continue;
      const message = (test.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 600);
      failures.push(`${path.relative(root, file)}: ${path.relative(root, suite.name)} > ${test.fullName}\n    ${message}`);
    }
    if (suite.status === "failed" && !(suite.assertionResults ?? []).some((test) => test.status === "failed")) {
      failures.push(`${path.relative(root, file)}: ${path.relative(root, suite.name)} failed to run\n    ${(suite.message ?? "").split("\n")[0].slice(0, 600)}`);
    }
  }
}
if (fs.existsSync(e2eFile)) {
  const report = JSON.parse(fs.readFileSync(e2eFile, "utf8"));
  const { stats } = report;
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === "unexpected" || test.status === "flaky") {
          const error = test.results?.find((result) => result.error)?.error?.message ?? "";
          failures.push(`e2e (${test.status}): ${[...titles, spec.title].join(" > ")}\n    ${error.split("\n")[0].slice(0, 600)}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
} else {
  missing.push(e2eFile);
}
for (const failure of failures) console.log(`FAILED ${failure}`);
for (const file of missing) console.log(`no results from ${path.relative(root, file)} (that suite did not run to the end)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
