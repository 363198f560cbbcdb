import { vitestConfig } from "../../vitest.shared.js";

// Packs this package, installs it into a project outside the repository, and runs it against the
// built server (apps/web/dist): `pnpm build` comes first.
export default vitestConfig({ testTimeout: 300_000, hookTimeout: 120_000 });
