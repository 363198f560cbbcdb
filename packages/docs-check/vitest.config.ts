import { vitestConfig } from "../../vitest.shared.js";

export default vitestConfig({ testTimeout: 60_000 });
