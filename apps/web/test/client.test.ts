import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokensmithClient, TRPCClientError, type RouterOutputs } from "@tokensmith/client";
import { request, startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

describe("typed client against the running server", () => {
  it("creates with Basic, then lists, gets and revokes with the token itself", async () => {
    const withPassword = createTokensmithClient({ url: server.url, username: "admin", password: "admin-password-1" });
    const created = await withPassword.token.create.mutate({ description: "typed client", life: "3 days" });
    expect(created).toMatchObject({ description: "typed client", lifeSeconds: 259_200, status: "Valid" });

    const client = createTokensmithClient({ url: `${server.url}/`, token: created.token });
    const list: RouterOutputs["token"]["list"] = await client.token.list.query();
    expect(list.map((t) => t.id)).toContain(created.id);
    const one = await client.token.get.query({ id: created.id });
    expect(one.remainingSeconds).toBeGreaterThan(259_000);
    expect(await client.auth.me.query()).toEqual({ username: "admin", isAdmin: true, via: "bearer" });

    // The same token, seen by REST: one domain, two adapters.
    const rest = await request(`${server.url}/v1alpha/token/${created.id}`, { auth: `Bearer ${created.token}` });
    expect(rest.body.jwt_token_description).toBe("typed client");

    await client.token.revoke.mutate({ id: created.id });
    const refused = await client.token.list.query().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
  });

  it("surfaces validation errors with a readable message and no stack", async () => {
    const client = createTokensmithClient({ url: server.url, username: "admin", password: "admin-password-1" });
    const error = await client.token.create.mutate({ description: "x", life: "10 lightyears" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const clientError = error as TRPCClientError<never>;
    expect(clientError.message).toMatch(/Invalid lifetime "10 lightyears".*Accepted units/);
    expect(clientError.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(JSON.stringify(clientError.data)).not.toMatch(/stack|node_modules/);

    const missing = await client.token.get.query({ id: crypto.randomUUID() }).catch((e: unknown) => e);
    expect((missing as TRPCClientError<never>).data).toMatchObject({ code: "NOT_FOUND" });
  });
});
