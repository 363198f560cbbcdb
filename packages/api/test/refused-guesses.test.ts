import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type AuditEvent } from "@tokensmith/db";
import { cheapPasswordHash } from "@tokensmith/testkit";
import { code, createTestEnv, type TestEnv } from "./support.js";
import { pruneEndedAttempts } from "../src/app.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const tally = (codes: string[]) => codes.reduce<Record<string, number>>((all, c) => ({ ...all, [c]: (all[c] ?? 0) + 1 }), {});

/** The attempts a row stands for: itself, or the count of the repeats it sums up. */
const attemptsIn = (row: AuditEvent) => (row.detail ? (JSON.parse(row.detail) as { repeated: number }).repeated : 1);

async function failureRows(): Promise<AuditEvent[]> {
  await env.services.credentials.flushAudit();
  return env.opened.db.auditEvent.findMany({ where: { action: { startsWith: "auth." } }, orderBy: { id: "asc" } });
}

describe("refused and failed guesses are summed up, not written one row each", { timeout: 60_000 }, () => {
  it("300 from one address with 300 usernames: four rows, and they carry the count", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 300; i++) codes.push(await code((await env.basic(`user${i}`, "guess", "203.0.113.7")).token.list()));
    expect(tally(codes)).toEqual({ UNAUTHORIZED: 20, TOO_MANY_REQUESTS: 280 });
    const rows = await failureRows();
    expect(rows.map((r) => [r.action, r.ip, r.username]).sort()).toEqual(
      [
        ["auth.basic_failure", "203.0.113.7", "user0"],
        ["auth.basic_failure", "203.0.113.7", null],
        ["auth.rate_limited", "203.0.113.7", "user20"],
        ["auth.rate_limited", "203.0.113.7", null],
      ].sort(),
    );
    expect(rows.reduce((sum, r) => sum + attemptsIn(r), 0)).toBe(300);
    const refused = JSON.parse(rows.find((r) => r.action === "auth.rate_limited" && r.username === null)!.detail!);
    // The first ten usernames by name, the rest as a number.
    expect(refused).toMatchObject({ repeated: 279, otherUsernames: 269 });
    expect(Object.keys(refused.usernames)).toEqual(Array.from({ length: 10 }, (_, i) => `user${21 + i}`));
  });

  it("300 from 300 addresses (IPv6 /64s and IPv4): at most 2 × 10 + 3 rows, and they carry the count", async () => {
    await env.opened.db.user.create({ data: { username: "alice", passwordHash: cheapPasswordHash("alice-password") } });
    const from = (i: number) => (i % 2 ? `2001:db8:${i.toString(16)}::1` : `198.18.${i >> 8}.${i & 255}`);
    const codes = await Promise.all(Array.from({ length: 300 }, (_, i) => code(env.anonymous(from(i)).auth.login({ username: "alice", password: `g${i}` }))));
    expect(tally(codes)).toEqual({ UNAUTHORIZED: 100, TOO_MANY_REQUESTS: 200 });
    const rows = await failureRows();
    expect(rows.length).toBeLessThanOrEqual(23);
    expect(rows.reduce((sum, r) => sum + attemptsIn(r), 0)).toBe(300);
    const overflow = rows.filter((r) => r.detail?.includes("more addresses than the audit keeps apart"));
    expect(overflow.map((r) => r.action).sort()).toEqual(["auth.login_failure", "auth.rate_limited"]);
    // Every row that names one user is that user's own (their Activity page shows it).
    expect(rows.every((r) => r.username === "alice" && r.userId !== null)).toBe(true);
    expect(overflow.map((r) => JSON.parse(r.detail!).usernames)).toEqual([{ alice: expect.any(Number) }, { alice: expect.any(Number) }]);
  });

  it("an IPv6 client moving within its /64 is one row's worth", async () => {
    for (let i = 1; i <= 12; i++) await code(env.anonymous(`2001:db8:5:6::${i.toString(16)}`).auth.login({ username: "nobody", password: "x" }));
    const rows = await failureRows();
    expect(rows.map((r) => [r.action, r.ip, attemptsIn(r)]).sort()).toEqual(
      [
        ["auth.login_failure", "2001:db8:5:6::1", 1],
        ["auth.login_failure", "2001:db8:5:6::/64", 4],
        ["auth.rate_limited", "2001:db8:5:6::6", 1],
        ["auth.rate_limited", "2001:db8:5:6::/64", 6],
      ].sort(),
    );
  });
});

describe("the attempt windows guesses open", () => {
  it("are deleted as fast as guesses from many addresses open them, not 1,000 a minute", async () => {
    // What a minute of guesses from ~60 addresses leaves behind (each opens up to 41 windows).
    const opened = await openDatabase(env.opened.url);
    try {
      const now = Date.now();
      await opened.db.authAttempt.createMany({ data: Array.from({ length: 2500 }, (_, i) => ({ key: `pair:user${i}|198.18.${i >> 8}.${i & 255}`, count: 1, resetAt: BigInt(now) })) });
      await pruneEndedAttempts(opened.attempts, now + 1000);
      expect(await opened.attempts.prune(now + 1000, 10_000)).toBe(0);
    } finally {
      await opened.close();
    }
  });
});
