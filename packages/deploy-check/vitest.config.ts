import { vitestConfig } from "../../vitest.shared.js";

// Not part of `turbo run test`: scripts/test.sh runs it on its own (`pnpm test:deploy`), after the
// other suites, so that building the image (minutes of CPU) does not run beside timing-sensitive tests.
// The image build is in a hook: on a machine with no cache it takes several minutes.
export default vitestConfig({ testTimeout: 180_000, hookTimeout: 45 * 60_000, fileParallelism: false });
