import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const RUN = fileURLToPath(new URL("./fixtures/webhook-answer/run.mjs", import.meta.url));
// A control character, and a cut at 1 KiB that falls inside a two-byte character.
const ANSWER = `upstream said no:\u0007 ${"é".repeat(600)}${"x".repeat(2000)}`;

/**
 * What a receiver answers is kept (its first 1 KiB, as text) only from a public address: a user
 * must not be able to aim an endpoint at an internal service and read its answers here. A public
 * receiver needs a public address on this machine: the run gets a network namespace of its own
 * (unshare, as root) with 203.0.113.7 on its loopback, and the built server in it. SQLite only:
 * the test cluster of PostgreSQL is not reachable from inside the namespace (the column is written
 * on PostgreSQL by every other webhook test there).
 */
describe("the start of a receiver's answer", () => {
  it("is kept from a public address, at most 1 KiB without control characters, and never from a private one", () => {
    const run = spawnSync("unshare", ["-n", "sh", "-c", 'ip link set lo up && ip addr add 203.0.113.7/32 dev lo && exec "$0" "$1"', process.execPath, RUN], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    const kept = Buffer.from(ANSWER).subarray(0, 1024).toString("utf8").replace(/\uFFFD+$/, "");
    expect(result.public).toMatchObject({ status_code: 502, response_body: kept.replace("\u0007", "") });
    expect(result.public.response_body).toMatch(/^upstream said no: é+$/);
    expect(Buffer.byteLength(result.public.response_body)).toBeLessThanOrEqual(1024);
    expect(result.private).toMatchObject({ status_code: 502, response_body: null });
  });
});
