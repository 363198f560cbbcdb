import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/index.js";

/** What the server answers 503 (busy or unreachable: try again) rather than 500 (a fault). */
describe("isDatabaseUnavailable", () => {
  it("counts a transaction that could not start in time, or a pooled connection that did not come, as busy", () => {
    // Prisma's own words, as a burst of 300 sign-ins on a loaded machine got them.
    const notStarted = Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" });
    expect(isDatabaseUnavailable(notStarted)).toBe(true);
    expect(isDatabaseUnavailable({ message: "wrapped", cause: notStarted })).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("Timed out fetching a new connection from the connection pool."), { code: "P2024" }))).toBe(true);
  });

  it("does not count a fault in a query", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("syntax error"), { code: "42601" }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("anything else"))).toBe(false);
  });
});
