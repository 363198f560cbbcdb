import { vitestConfig } from "../../vitest.shared.js";

// The CLI is run as a process from its build (dist/cli.js), against a real database file.
// Each test runs the CLI as several processes (a second or more each): generous while other suites share the CPU.
export default vitestConfig({ testTimeout: 300_000 }, { databases: true });
