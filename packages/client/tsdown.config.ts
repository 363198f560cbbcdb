import { defineConfig } from "tsdown";

/**
 * One ESM file and one declaration file. The router's types are generated from the real router
 * (scripts/emit-router-types.mjs, run before this) and bundled into the declarations, so the
 * tarball needs nothing from this repository; the tRPC packages stay external (its dependencies).
 */
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: true,
  sourcemap: false,
  clean: true,
  hash: false,
  deps: { neverBundle: ["@trpc/client", "@trpc/server"] },
});
