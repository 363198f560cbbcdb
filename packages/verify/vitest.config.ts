import { vitestConfig } from "../../vitest.shared.js";

// The tests start the built Tokensmith server (apps/web/dist/server.js) as a real process and use
// this package's build (dist/) for the packed-tarball test: `pnpm build` comes first.
export default vitestConfig({ testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false }, { databases: true });
