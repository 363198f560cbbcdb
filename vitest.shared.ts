import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
/** `TOKENSMITH_TEST_DATABASE=postgres` runs the database-backed suites against PostgreSQL. */
export const TEST_DATABASE = process.env.TOKENSMITH_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

/**
 * Every package's vitest setup: workspace packages resolve to their TypeScript ("source"), and the
 * results are also written as JSON so scripts/test-summary.mjs can print one closing line (one
 * file per database for the suites that run on both).
 */
export function vitestConfig(test: NonNullable<ViteUserConfig["test"]> = {}, opts: { databases?: boolean } = {}) {
  return defineConfig({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"] } },
    test: {
      include: ["test/**/*.test.ts"],
      // *.sqlite.test.ts and *.postgres.test.ts hold what is true of one database only.
      exclude: ["**/node_modules/**", TEST_DATABASE === "postgres" ? "test/**/*.sqlite.test.ts" : "test/**/*.postgres.test.ts"],
      reporters: ["default", "json"],
      outputFile: { json: TEST_DATABASE === "postgres" ? "test-results/vitest-postgres.json" : "test-results/vitest.json" },
      ...(opts.databases ? { globalSetup: [path.join(ROOT, "packages/testkit/src/global-setup.ts")] } : {}),
      ...test,
    },
  });
}
