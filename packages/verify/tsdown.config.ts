import { defineConfig } from "tsdown";

/**
 * One ESM build per entry, with bundled declarations. @tokensmith/endpoints (a workspace package,
 * never published) is bundled in, so the tarball needs nothing from this repository; jose and the
 * frameworks stay external (a dependency and optional peer dependencies).
 */
export default defineConfig({
  entry: { index: "src/index.ts", express: "src/express.ts", fastify: "src/fastify.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: true,
  sourcemap: false,
  clean: true,
  // Chunk names without content hashes: stable files in the tarball and in stack traces.
  hash: false,
  deps: { alwaysBundle: [/^@tokensmith\//], neverBundle: ["jose", "express", "fastify"] },
});
