import { vitestConfig } from "../../vitest.shared.js";

// Not part of `turbo run test`: scripts/test.sh runs it on its own (`pnpm test:deploy`), after the
// other suites. The files that build and run the image (image, instances) need podman and a first
// build of 20 minutes on a 2-core machine, more than `npm test`'s whole budget: they run with
// TOKENSMITH_TEST_IMAGE=1 (`pnpm test:image`). The compose, Containerfile and systemd checks always run.
const imageTests = process.env.TOKENSMITH_TEST_IMAGE === "1" ? [] : ["test/image.test.ts", "test/instances.test.ts"];
export default vitestConfig({ testTimeout: 180_000, hookTimeout: 45 * 60_000, fileParallelism: false, exclude: ["**/node_modules/**", ...imageTests] });
