import { vitestConfig } from "../../vitest.shared.js";

// The CLI is run as a process from its build (dist/cli.js), against a real database file.
export default vitestConfig({ testTimeout: 30_000 }, { databases: true });
