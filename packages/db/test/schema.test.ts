import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DERIVE = fileURLToPath(new URL("../scripts/derive-postgres-schema.mjs", import.meta.url));

describe("one data model for both databases", () => {
  it("the committed PostgreSQL schema is exactly what derives from the SQLite one", () => {
    expect(() => execFileSync(process.execPath, [DERIVE, "--check"], { stdio: "pipe" })).not.toThrow();
  });
});
