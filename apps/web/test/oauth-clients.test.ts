import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * Tokensmith as the OAuth libraries people already use see it, in their default modes: discovery
 * at /.well-known/openid-configuration, introspection (RFC 7662) and revocation (RFC 7009) with
 * client_secret_basic — which form-encodes the id and secret before Base64 (RFC 6749 §2.3.1) —
 * and client_secret_post. The issuer is https, as in production: the libraries' requests to it
 * are carried to the test server over plain HTTP by their own customFetch hook, unchanged.
 */
const ISSUER = "https://tokensmith.example";
const ADMIN = basicAuth("admin", "admin-password-1");
/** Every character RFC 6749's form encoding changes, and a colon (Basic's separator). */
const SECRET = "a+b:c%d é";

let server: RunningServer;
const receiver = new WebhookReceiver();
const viaServer: oauth.CustomFetch = (url, init) => fetch(url.replace(ISSUER, server.url), init as RequestInit);
const at = (path: string) => `${server.url}${path}`;

async function user(username: string, password: string): Promise<void> {
  const made = await request(at("/api/trpc/user.create"), { method: "POST", auth: ADMIN, body: { username, password } });
  expect(made.status).toBe(200);
}
async function token(auth: string): Promise<{ jwt_token: string; jwt_token_id: string }> {
  const made = await request(at("/v1alpha/token/"), { method: "POST", auth, body: { jwt_token_description: "oauth", jwt_token_life: "1 hour" } });
  expect(made.status).toBe(201);
  return made.body;
}
const form = (auth: string | undefined, body: Record<string, string>) => ({
  method: "POST",
  ...(auth ? { auth } : {}),
  rawBody: new URLSearchParams(body).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});
const introspect = (auth: string | undefined, body: Record<string, string>) => request(at("/v1alpha/introspect"), form(auth, body));
const active = async (jwt: string) => (await introspect(ADMIN, { token: jwt })).body.active as boolean;

beforeAll(async () => {
  await receiver.start();
  server = await startServer({
    DATABASE_URL: (await testDatabase()).url,
    ADMIN_PASSWORD: "admin-password-1",
    PUBLIC_URL: ISSUER,
    WEBHOOK_ALLOW_PRIVATE: "1",
    WEBHOOK_POLL_INTERVAL: "1 second",
  });
  await user("client", SECRET);
  await user("other", "other-password-1");
  await user("plain", "p+lain%password");
});
afterAll(async () => {
  await server?.stop();
  await receiver.stop();
});

/** RFC 8414 §2's metadata names and those of its registry entries this document may use (RFC 7009, RFC 7662). */
const RFC8414_FIELDS = new Set([
  "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint", "scopes_supported",
  "response_types_supported", "response_modes_supported", "grant_types_supported", "token_endpoint_auth_methods_supported",
  "token_endpoint_auth_signing_alg_values_supported", "service_documentation", "ui_locales_supported", "op_policy_uri", "op_tos_uri",
  "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "revocation_endpoint_auth_signing_alg_values_supported",
  "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
  "code_challenge_methods_supported",
]);
/** Client authentication methods registered with IANA (OAuth Token Endpoint Authentication Methods). */
const REGISTERED_AUTH_METHODS = new Set(["none", "client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"]);

describe("discovery (RFC 8414 §2)", () => {
  it("serves one document at both well-known paths, valid against RFC 8414 §2, with nothing of OpenID Connect", async () => {
    const rfc8414 = await request(at("/.well-known/oauth-authorization-server"));
    const oidc = await request(at("/.well-known/openid-configuration"));
    expect(oidc.status).toBe(200);
    expect(oidc.body).toEqual(rfc8414.body);
    const metadata = oidc.body as Record<string, unknown>;
    for (const name of Object.keys(metadata)) expect(RFC8414_FIELDS, `unknown field ${name}`).toContain(name);
    expect(Object.keys(metadata).filter((name) => name.includes("id_token") || name.startsWith("userinfo") || name === "subject_types_supported")).toEqual([]);
    // Required: issuer (https, no query or fragment), response_types_supported.
    expect(metadata.issuer).toBe(ISSUER);
    const issuer = new URL(metadata.issuer as string);
    expect([issuer.protocol, issuer.search, issuer.hash]).toEqual(["https:", "", ""]);
    expect(Array.isArray(metadata.response_types_supported)).toBe(true);
    // No grant is served: no endpoint for one, and grant_types_supported says so (its default would claim two).
    expect(metadata).not.toHaveProperty("authorization_endpoint");
    expect(metadata).not.toHaveProperty("token_endpoint");
    expect(metadata.grant_types_supported).toEqual([]);
    // Only what is honoured: no signing algorithms for a JWT client authentication we do not take.
    expect(Object.keys(metadata).filter((name) => name.endsWith("_signing_alg_values_supported"))).toEqual([]);
    // Every URL absolute https under the issuer, and answered there.
    for (const name of ["jwks_uri", "introspection_endpoint", "revocation_endpoint", "service_documentation"]) {
      const url = new URL(metadata[name] as string);
      expect([url.origin, url.hash]).toEqual([ISSUER, ""]);
    }
    expect((await request(at("/.well-known/jwks.json"))).status).toBe(200);
    expect((await fetch(at("/docs"))).status).toBe(200);
    // The auth methods are registered names, really taken: no "bearer".
    for (const name of ["introspection_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported"]) {
      expect(metadata[name]).toEqual(["client_secret_basic", "client_secret_post"]);
      for (const method of metadata[name] as string[]) expect(REGISTERED_AUTH_METHODS).toContain(method);
    }
  });

  it("oauth4webapi and openid-client discover it by default (the OpenID Connect path)", async () => {
    const response = await oauth.discoveryRequest(new URL(ISSUER), { [oauth.customFetch]: viaServer });
    const as = await oauth.processDiscoveryResponse(new URL(ISSUER), response);
    expect(as.revocation_endpoint).toBe(`${ISSUER}/v1alpha/revoke`);
    const config = await client.discovery(new URL(ISSUER), "client", undefined, client.ClientSecretBasic(SECRET), { [client.customFetch]: viaServer });
    expect(config.serverMetadata().introspection_endpoint).toBe(`${ISSUER}/v1alpha/introspect`);
  });
});

describe("client authentication at introspection and revocation", () => {
  it("openid-client: client_secret_basic with reserved characters, six calls in a row, then revocation", async () => {
    const config = await client.discovery(new URL(ISSUER), "client", undefined, client.ClientSecretBasic(SECRET), { [client.customFetch]: viaServer });
    const { jwt_token } = await token(basicAuth("client", SECRET));
    for (let call = 0; call < 6; call++) expect(await client.tokenIntrospection(config, jwt_token)).toMatchObject({ active: true, username: "client" });
    await client.tokenRevocation(config, jwt_token);
    expect(await client.tokenIntrospection(config, jwt_token)).toEqual({ active: false });
  });

  it("oauth4webapi: client_secret_basic and client_secret_post, six calls each, then revocation", async () => {
    const as = await oauth.processDiscoveryResponse(new URL(ISSUER), await oauth.discoveryRequest(new URL(ISSUER), { [oauth.customFetch]: viaServer }));
    const clientId: oauth.Client = { client_id: "client" };
    const options = { [oauth.customFetch]: viaServer };
    const { jwt_token } = await token(basicAuth("client", SECRET));
    for (const auth of [oauth.ClientSecretBasic(SECRET), oauth.ClientSecretPost(SECRET)]) {
      for (let call = 0; call < 6; call++) {
        const answer = await oauth.processIntrospectionResponse(as, clientId, await oauth.introspectionRequest(as, clientId, auth, jwt_token, options));
        expect(answer).toMatchObject({ active: true, username: "client" });
      }
    }
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, clientId, oauth.ClientSecretPost(SECRET), jwt_token, options));
    expect(await active(jwt_token)).toBe(false);
  });

  it("a refused client gets invalid_client and a Basic challenge; one method per request", async () => {
    const { jwt_token } = await token(ADMIN);
    for (const auth of [basicAuth("client", "wrong"), undefined]) {
      const refused = await introspect(auth, { token: jwt_token });
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe("invalid_client");
      expect(refused.headers.get("www-authenticate")).toBe('Basic realm="tokensmith", charset="UTF-8"');
    }
    const both = await introspect(basicAuth("client", SECRET), { token: jwt_token, client_id: "client", client_secret: SECRET });
    expect(both).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("a secret sent unencoded (curl -u) still works, and each request is one guess under the decoded name", async () => {
    const { jwt_token } = await token(ADMIN);
    // Four wrong secrets that decode differently: counted twice each, the fifth request would be refused (5 a minute).
    for (const wrong of ["x+1", "x+2", "x%41", "x%42"]) expect((await introspect(basicAuth("plain", wrong), { token: jwt_token })).status).toBe(401);
    const raw = await introspect(basicAuth("plain", "p+lain%password"), { token: jwt_token });
    expect(raw).toMatchObject({ status: 200, body: { active: false } });
    // An encoded name is the decoded user's: its guesses count against "plain".
    const encodedName = await introspect(basicAuth("pl%61in", "p%2Blain%25password"), { token: jwt_token });
    expect(encodedName).toMatchObject({ status: 200, body: { active: false } });
  });
});

describe("revocation (RFC 7009)", () => {
  it("a client revokes its own user's tokens; another user's and unknown ones are answered 200 and left alone; an administrator revokes any", async () => {
    const others = await token(basicAuth("other", "other-password-1"));
    const revoke = (auth: string, jwt: string) => request(at("/v1alpha/revoke"), form(auth, { token: jwt, token_type_hint: "access_token" }));
    expect(await revoke(basicAuth("client", SECRET), others.jwt_token)).toMatchObject({ status: 200, body: {} });
    expect(await active(others.jwt_token)).toBe(true);
    expect((await revoke(basicAuth("client", SECRET), "not-a-token")).status).toBe(200);
    // The id alone is no token.
    expect((await revoke(ADMIN, others.jwt_token_id)).status).toBe(200);
    expect(await active(others.jwt_token)).toBe(true);
    expect((await revoke(ADMIN, others.jwt_token)).status).toBe(200);
    expect(await active(others.jwt_token)).toBe(false);
    const missing = await request(at("/v1alpha/revoke"), form(ADMIN, {}));
    expect(missing).toMatchObject({ status: 400, body: { errors: [{ field: "token" }] } });
  });
});

describe("reporting a leaked token (POST /v1alpha/credentials/revoke)", () => {
  const report = (credentials: unknown) => request(at("/v1alpha/credentials/revoke"), { method: "POST", body: { credentials } });

  it("revokes a genuine token with the reason leaked, answers the same for anything else, and tells the owner", async () => {
    const owner = basicAuth("other", "other-password-1");
    const hook = await request(at("/v1alpha/webhooks/"), { method: "POST", auth: owner, body: { url: receiver.url(), events: ["token.revoked"] } });
    expect(hook.status).toBe(201);
    receiver.secret = hook.body.secret;
    const leaked = await token(owner);
    const kept = await token(owner);
    // A copy of a real token with another signature, and a real token's id: neither is the token.
    const [header, payload] = kept.jwt_token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(86)}`;
    const timed = async (credentials: string[]) => {
      const started = performance.now();
      const answer = await report(credentials);
      return { answer, ms: Math.round(performance.now() - started) };
    };
    const nothing = await timed(["not-a-token", forged, kept.jwt_token_id]);
    const real = await timed([leaked.jwt_token, "not-a-token"]);
    console.log(`[measured] leak report answered in ${nothing.ms} ms (nothing real) and ${real.ms} ms (a live token revoked)`);
    expect(real.answer.status).toBe(nothing.answer.status);
    expect(real.answer.body).toEqual(nothing.answer.body);
    expect(real.answer.status).toBe(200);
    expect(await active(leaked.jwt_token)).toBe(false);
    expect(await active(kept.jwt_token)).toBe(true);
    const event = await receiver.waitFor((r) => r.type === "token.revoked" && r.json.data.token_id === leaked.jwt_token_id);
    expect(event.verified).toBe(true);
    expect(event.json.data.reason).toBe("leaked");
    // The token page (its detail, as the dashboard reads it) shows who revoked it and why.
    const detail = await request(at(`/api/trpc/token.detail?input=${encodeURIComponent(JSON.stringify({ id: leaked.jwt_token_id }))}`), { auth: owner });
    const events = detail.body.result.data.events as { action: string; detail: { reason?: string } | null }[];
    expect(events.find((e) => e.action === "token.revoke")?.detail).toMatchObject({ reason: "leaked" });
  });

  it("refuses more than 1,000 credentials, and more than its share of reports from one address", async () => {
    const tooMany = await report(Array.from({ length: 1001 }, (_, i) => `t${i}`));
    expect(tooMany).toMatchObject({ status: 400, body: { errors: [{ field: "credentials" }] } });
    const answers = await Promise.all(Array.from({ length: 11 }, () => report(["not-a-token"])));
    expect(answers.map((a) => a.status)).toContain(429);
    expect(answers.find((a) => a.status === 429)!.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
