import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenedDatabase } from "@tokensmith/db";
import { cheapPasswordHash } from "@tokensmith/testkit";
import { code, createTestEnv, type TestEnv } from "./support.js";
import { createCaller } from "../src/root.js";
import { createContextInner } from "../src/context/index.js";
import { CredentialGuard } from "../src/auth/credential-guard.js";
import { FailureAudit } from "../src/audit/failure-audit.js";
import { userWithPassword } from "../src/auth/password-check.js";
import { DEVICE_COOKIE } from "../src/auth/cookies.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

/** A user with a cheap hash: a storm is a hundred real password checks. */
async function addUser(username: string, password: string, isAdmin = false) {
  const user = await env.opened.db.user.create({ data: { username, passwordHash: cheapPasswordHash(password), isAdmin } });
  return { userId: user.id, username, isAdmin, via: "basic" as const };
}

const tally = (codes: string[]) => codes.reduce<Record<string, number>>((all, c) => ({ ...all, [c]: (all[c] ?? 0) + 1 }), {});

/** 100 wrong guesses at `username`, 5 from each of 20 addresses, all at once: the per-username ceiling. */
async function storm(username: string, prefix = "198.18.0."): Promise<void> {
  const codes = await Promise.all(
    Array.from({ length: 100 }, (_, i) => code(env.anonymous(`${prefix}${1 + (i % 20)}`).auth.login({ username, password: `storm-${i}` }))),
  );
  expect(tally(codes)).toEqual({ UNAUTHORIZED: 100 });
  expect(await code(env.anonymous(`${prefix}200`).auth.login({ username, password: "one more" }))).toBe("TOO_MANY_REQUESTS");
}

/** Signing in from `ip` with a device cookie (or none): the outcome and the device cookie set. */
async function signIn(username: string, password: string, ip: string, device?: string): Promise<{ code: string; device?: string }> {
  const cookies: string[] = [];
  const caller = createCaller(createContextInner({ ...env.services, request: { ip }, deviceCookie: device, setCookie: (c) => cookies.push(c) }));
  const outcome = await code(caller.auth.login({ username, password }));
  const set = cookies.find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  return { code: outcome, device: set?.split(";")[0]!.split("=")[1] };
}

describe("a guess storm from many addresses", { timeout: 60_000 }, () => {
  it("spares the owner where they signed in before, on sign-in and Basic; a new address stays limited", async () => {
    await addUser("alice", "alice-password");
    expect(await code((await env.basic("alice", "alice-password", "203.0.113.5")).token.list())).toBe("OK");
    await storm("alice");
    expect(await code(env.anonymous("203.0.113.5").auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
    expect(await code((await env.basic("alice", "alice-password", "203.0.113.5")).token.list())).toBe("OK");
    expect(await code(env.anonymous("203.0.113.6").auth.login({ username: "alice", password: "alice-password" }))).toBe("TOO_MANY_REQUESTS");
    expect(await code((await env.basic("alice", "alice-password", "203.0.113.6")).token.list())).toBe("TOO_MANY_REQUESTS");
  });

  it("a known IPv6 client is its /64; rotating through other /64s buys nothing", async () => {
    await addUser("alice", "alice-password");
    expect(await code(env.anonymous("2001:db8:aa:1::10").auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
    const codes = await Promise.all(
      Array.from({ length: 110 }, (_, i) => code(env.anonymous(`2001:db8:bb:${(i % 22).toString(16)}::${i.toString(16)}`).auth.login({ username: "alice", password: `g${i}` }))),
    );
    expect(tally(codes)).toEqual({ UNAUTHORIZED: 100, TOO_MANY_REQUESTS: 10 });
    expect(await code(env.anonymous("2001:db8:aa:1::99").auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
  });

  it("a known address sprays no one else, and keeps its pair and address limits", async () => {
    await addUser("alice", "alice-password");
    await addUser("bob", "bob-password");
    expect(await code(env.anonymous("203.0.113.5").auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
    await storm("bob");
    // Known for alice, a stranger for bob: bob's ceiling holds there too.
    expect(await code(env.anonymous("203.0.113.5").auth.login({ username: "bob", password: "bob-password" }))).toBe("TOO_MANY_REQUESTS");
    // Spraying from there is stopped at the address limit, alice's known budget or not.
    const codes: string[] = [];
    for (let i = 0; i < 22; i++) codes.push(await code(env.anonymous("203.0.113.5").auth.login({ username: `user${i}`, password: "x" })));
    expect(tally(codes)).toEqual({ UNAUTHORIZED: 20, TOO_MANY_REQUESTS: 2 });
  });

  it("a device cookie lets its browser in from a new address; it is renewed each time, and the old one is worth nothing", async () => {
    await addUser("alice", "alice-password");
    const first = await signIn("alice", "alice-password", "203.0.113.5");
    expect(first.device).toMatch(/^[\w-]{43}$/);
    await storm("alice");
    const next = await signIn("alice", "alice-password", "192.0.2.77", first.device);
    expect(next).toMatchObject({ code: "OK" });
    expect(next.device).not.toBe(first.device);
    // A copy of the first cookie, replayed from elsewhere, is a stranger's.
    expect((await signIn("alice", "alice-password", "192.0.2.78", first.device)).code).toBe("TOO_MANY_REQUESTS");
    expect((await signIn("alice", "alice-password", "192.0.2.79", next.device)).code).toBe("OK");
    // Another user's device cookie is no one's for alice; garbage is ignored.
    await addUser("bob", "bob-password");
    const bobs = await signIn("bob", "bob-password", "198.51.100.1");
    expect((await signIn("alice", "alice-password", "192.0.2.80", bobs.device)).code).toBe("TOO_MANY_REQUESTS");
    expect((await signIn("alice", "alice-password", "192.0.2.81", "x".repeat(5000))).code).toBe("TOO_MANY_REQUESTS");
  });

  it("a copy of the current device cookie, replayed at once from 30 addresses, gets its 10 guesses and no more", async () => {
    await addUser("alice", "alice-password");
    const { device } = await signIn("alice", "alice-password", "203.0.113.5");
    await storm("alice");
    const codes = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn("alice", `stolen-${i}`, `192.0.2.${100 + i}`, device).then((r) => r.code)));
    expect(tally(codes)).toEqual({ UNAUTHORIZED: 10, TOO_MANY_REQUESTS: 20 });
  });

  it("a signed-in browser may sign in again during a storm", async () => {
    const alice = await addUser("alice", "alice-password");
    await storm("alice");
    const session = { ...alice, via: "session" as const, sessionId: "a".repeat(64) };
    const signedIn = createCaller(createContextInner({ ...env.services, caller: session, request: { ip: "192.0.2.90" } }));
    expect(await code(signedIn.auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
    // Someone else's session is no help.
    const bob = await addUser("bob", "bob-password");
    const bobs = createCaller(createContextInner({ ...env.services, caller: { ...bob, via: "session", sessionId: "b".repeat(64) }, request: { ip: "192.0.2.91" } }));
    expect(await code(bobs.auth.login({ username: "alice", password: "alice-password" }))).toBe("TOO_MANY_REQUESTS");
  });

  it("a user deleted and made again under the same name starts as a stranger everywhere", async () => {
    await addUser("alice", "alice-password");
    const { device } = await signIn("alice", "alice-password", "203.0.113.5");
    await env.opened.db.user.delete({ where: { username: "alice" } });
    await addUser("alice", "alice-password");
    await storm("alice");
    expect((await signIn("alice", "alice-password", "203.0.113.5")).code).toBe("TOO_MANY_REQUESTS");
    expect((await signIn("alice", "alice-password", "192.0.2.5", device)).code).toBe("TOO_MANY_REQUESTS");
  });

  it("a password reset forgets every known client of the user", async () => {
    const admin = await addUser("root", "root-password", true);
    await addUser("alice", "alice-password");
    const { device } = await signIn("alice", "alice-password", "203.0.113.5");
    await (await env.basic("root", "root-password", "10.0.0.1")).user.resetPassword({ username: "alice", password: "alice-password-2" });
    expect(admin.isAdmin).toBe(true);
    // The same new password, with cheap parameters again (the reset hashed it at full cost): a quick storm.
    await env.opened.db.user.update({ where: { username: "alice" }, data: { passwordHash: cheapPasswordHash("alice-password-2") } });
    await storm("alice");
    expect((await signIn("alice", "alice-password-2", "203.0.113.5")).code).toBe("TOO_MANY_REQUESTS");
    expect((await signIn("alice", "alice-password-2", "192.0.2.5", device)).code).toBe("TOO_MANY_REQUESTS");
  });

  it("an unknown client (no address) is never made known", async () => {
    await addUser("alice", "alice-password");
    const unknown = createCaller(createContextInner({ ...env.services, request: { ip: undefined } }));
    expect(await code(unknown.auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
    expect(await env.opened.db.knownClient.count({ where: { kind: "address" } })).toBe(0);
  });
});

describe("known clients' own budget and bounds", { timeout: 60_000 }, () => {
  let second: OpenedDatabase;
  let audit: FailureAudit | undefined;
  beforeEach(async () => {
    // Another instance on the same database, with a clock of its own.
    second = await openDatabase(env.opened.url);
  });
  afterEach(async () => {
    await audit?.close();
    await second.close();
  });

  it("a known client gets 10 guesses in 15 minutes, then is judged as a stranger; the known state is shared by instances", async () => {
    await addUser("alice", "alice-password");
    expect(await code(env.anonymous("203.0.113.5").auth.login({ username: "alice", password: "alice-password" }))).toBe("OK");
    let clock = Date.now();
    audit = new FailureAudit(second.db);
    const guard = new CredentialGuard(second.attempts, second.knownClients, audit, () => clock);
    const attempt = (password: string, ip = "203.0.113.5") =>
      guard.attempt({ username: "alice", password, ip, userAgent: undefined, via: "basic" }, () => userWithPassword(second.db, "alice", password)).then((o) => (o.ok ? "OK" : o.reason));
    const results: string[] = [];
    await storm("alice");
    // Five a minute (the pair limit still holds), ten in the known budget's window.
    for (let minute = 0; minute < 3; minute++, clock += 61_000) for (let i = 0; i < 5; i++) results.push(await attempt(`wrong-${minute}-${i}`));
    expect(results).toEqual([...Array(10).fill("wrong"), ...Array(5).fill("limited")]);
    expect(await attempt("alice-password")).toBe("limited");
    // Its window over (and the storm's too), it is a known client with a fresh budget again.
    clock += 15 * 60_000;
    expect(await attempt("alice-password")).toBe("OK");
  });

  it("keeps at most 20 addresses and 20 devices per user", async () => {
    await addUser("alice", "alice-password");
    for (let i = 1; i <= 24; i++) expect((await signIn("alice", "alice-password", `10.20.0.${i}`)).code).toBe("OK");
    const kinds = await env.opened.db.knownClient.groupBy({ by: ["kind"], _count: true, orderBy: { kind: "asc" } });
    expect(kinds.map((k) => [k.kind, k._count])).toEqual([
      ["address", 20],
      ["device", 20],
    ]);
    // The newest stay: the last address is known, the first is not.
    await storm("alice");
    expect((await signIn("alice", "alice-password", "10.20.0.24")).code).toBe("OK");
    expect((await signIn("alice", "alice-password", "10.20.0.1")).code).toBe("TOO_MANY_REQUESTS");
  });
});
