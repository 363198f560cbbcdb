import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

const admin = basicAuth("admin", "admin-password-1");
const trpc = (path: string, body: unknown, headers: Record<string, string>) =>
  request(`${server.url}/api/trpc/${path}`, { method: "POST", body, headers: { origin: server.url, ...headers } });

async function newUser(username: string, password: string): Promise<void> {
  expect((await trpc("user.create", { username, password, isAdmin: false }, { authorization: admin })).status).toBe(200);
}

/** A dashboard session (the cookie pair: session only, so each attempt is judged the same way). */
async function signIn(username: string, password: string): Promise<string | null> {
  const res = await trpc("auth.login", { username, password }, {});
  return res.status === 200 ? res.headers.getSetCookie()[0]!.split(";")[0]! : null;
}

describe("changing one's own password", () => {
  // First: the first failure of a minute from an address is written at once with its username
  // (later ones are summed up at the minute's end), and the next test makes one.
  it("counts a wrong current password like a failed sign-in: refused, recorded, and limited", async () => {
    await newUser("dave", "dave-password-1");
    const cookie = (await signIn("dave", "dave-password-1"))!;
    const statuses: number[] = [];
    let limited = null;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await trpc("auth.changePassword", { currentPassword: `guess-${i}`, newPassword: "dave-password-2" }, { cookie });
      if (res.status === 429) limited = res;
      else {
        statuses.push(res.status);
        expect(res.body.error.message).toBe("That is not your current password.");
      }
    }
    expect(new Set(statuses)).toEqual(new Set([400]));
    expect(limited, "wrong guesses were never limited").not.toBeNull();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Limited even with the right one, as sign-in is; the password did not change.
    expect((await trpc("auth.changePassword", { currentPassword: "dave-password-1", newPassword: "dave-password-2" }, { cookie })).status).toBe(429);
    // Recorded as a failed sign-in (failures are written a moment later, in the background).
    const failures = () => request(`${server.url}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ action: "auth.login_failure", username: "dave" }))}`, { headers: { authorization: admin } });
    await expect.poll(async () => (await failures()).body.result.data.events.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it("asks for the current one; the new one works, the old one and every other session stop", async () => {
    await newUser("carol", "carol-password-1");
    const cookie = (await signIn("carol", "carol-password-1"))!;
    const other = (await signIn("carol", "carol-password-1"))!;
    const short = await trpc("auth.changePassword", { currentPassword: "carol-password-1", newPassword: "short" }, { cookie });
    expect(short.status).toBe(400);
    const same = await trpc("auth.changePassword", { currentPassword: "carol-password-1", newPassword: "carol-password-1" }, { cookie });
    expect(same.body.error.message).toBe("The new password must differ from the current one.");
    const changed = await trpc("auth.changePassword", { currentPassword: "carol-password-1", newPassword: "carol-password-2" }, { cookie });
    expect(changed.status).toBe(200);
    expect(changed.body.result.data).toEqual({ username: "carol" });
    // This browser keeps working with the session it was given; the others are signed out.
    const fresh = changed.headers.getSetCookie().find((c) => c.startsWith("tokensmith_session="))!.split(";")[0]!;
    expect((await request(`${server.url}/api/trpc/auth.me`, { headers: { cookie: fresh } })).status).toBe(200);
    for (const old of [cookie, other]) expect((await request(`${server.url}/api/trpc/auth.me`, { headers: { cookie: old } })).status).toBe(401);
    expect(await signIn("carol", "carol-password-1")).toBeNull();
    expect(await signIn("carol", "carol-password-2")).not.toBeNull();
    const events = await request(`${server.url}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ action: "user.password_change" }))}`, { headers: { authorization: admin } });
    expect(events.body.result.data.events.map((e: { username: string }) => e.username)).toEqual(["carol"]);
  });

  it("is for a signed-in person only: a token or HTTP Basic cannot change the password", async () => {
    await newUser("erin", "erin-password-1");
    const basic = await trpc("auth.changePassword", { currentPassword: "erin-password-1", newPassword: "erin-password-2" }, { authorization: basicAuth("erin", "erin-password-1") });
    expect(basic.status).toBe(403);
    const made = await trpc("token.create", { description: "t", life: "1 hour" }, { authorization: basicAuth("erin", "erin-password-1") });
    const bearer = await trpc("auth.changePassword", { currentPassword: "erin-password-1", newPassword: "erin-password-2" }, { authorization: `Bearer ${made.body.result.data.token}` });
    expect(bearer.status).toBe(403);
    expect(await signIn("erin", "erin-password-1")).not.toBeNull();
  });
});
