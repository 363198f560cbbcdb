import { defineConfig } from "vitest/config";
// "source" makes workspace packages resolve to their TypeScript, so tests need no prior build.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 20_000 },
});
