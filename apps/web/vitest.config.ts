import { defineConfig } from "vitest/config";
// These tests start the built server (dist/server.js) as a real process; `pnpm build` comes first.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000, fileParallelism: false },
});
