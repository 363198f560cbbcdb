import { vitestConfig } from "../../vitest.shared.js";

// These tests start the built server (dist/server.js) as a real process; `pnpm build` comes first.
export default vitestConfig({ testTimeout: 30_000, hookTimeout: 60_000, fileParallelism: false }, { databases: true });
