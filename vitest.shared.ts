import { defineConfig, type ViteUserConfig } from "vitest/config";

/**
 * Every package's vitest setup: workspace packages resolve to their TypeScript ("source"), and the
 * results are also written as JSON so scripts/test-summary.mjs can print one closing line.
 */
export function vitestConfig(test: NonNullable<ViteUserConfig["test"]> = {}) {
  return defineConfig({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"] } },
    test: {
      include: ["test/**/*.test.ts"],
      reporters: ["default", "json"],
      outputFile: { json: "test-results/vitest.json" },
      ...test,
    },
  });
}
