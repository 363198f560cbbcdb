import { expect } from "vitest";
import { ORDERS_ONLY_ESCAPES } from "@tokensmith/testkit";
import { rawGet, type IssuedToken, type Tokensmith } from "./tokensmith.js";

export interface AdapterTokens {
  open: IssuedToken;
  ordersOnly: IssuedToken;
  /** Allowed only from the loopback addresses the tests connect from. */
  fromHere: IssuedToken;
  /** Allowed only from a documentation range no test connects from. */
  fromElsewhere: IssuedToken;
}

export async function adapterTokens(tokensmith: Tokensmith): Promise<AdapterTokens> {
  return {
    open: await tokensmith.createToken(),
    ordersOnly: await tokensmith.createToken({ jwt_token_endpoints: ["GET /api/orders/*"] }),
    fromHere: await tokensmith.createToken({ jwt_token_allowed_ips: ["127.0.0.0/8", "::1"] }),
    fromElsewhere: await tokensmith.createToken({ jwt_token_allowed_ips: ["203.0.113.0/24"] }),
  };
}

/**
 * What every adapter must do, asked over real HTTP of an app listening at `url` whose routes
 * GET /api/orders/:id and GET /admin answer `{ caller }` with what the adapter set, and whose users
 * route (everything under /api/users/) and catch-all route answer too.
 */
export async function expectProtected(url: string, tokens: AdapterTokens): Promise<void> {
  const bearer = (token: IssuedToken) => `Bearer ${token.jwt_token}`;

  const ok = await rawGet(url, "/api/orders/1", bearer(tokens.ordersOnly));
  expect(ok.status).toBe(200);
  expect(ok.body.caller).toEqual({
    userId: expect.any(String),
    username: "admin",
    tokenId: tokens.ordersOnly.jwt_token_id,
    endpoints: ["GET /api/orders/*"],
    allowedIps: null,
    audience: null,
    expiresAt: new Date(tokens.ordersOnly.expires_at).toISOString(),
  });
  expect((await rawGet(url, "/admin", bearer(tokens.open))).body.caller.tokenId).toBe(tokens.open.jwt_token_id);

  const anonymous = await rawGet(url, "/api/orders/1");
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers["www-authenticate"]).toBe('Bearer realm="tokensmith"');
  expect(anonymous.body).toEqual({ error: "invalid_token", message: expect.any(String) });

  const [header, payload] = tokens.open.jwt_token.split(".");
  const forged = await rawGet(url, "/api/orders/1", `Bearer ${header}.${payload}.${"A".repeat(86)}`);
  expect(forged.status).toBe(401);
  expect(forged.headers["www-authenticate"]).toMatch(/^Bearer realm="tokensmith", error="invalid_token"/);
  expect(forged.body.error).toBe("invalid_token");

  // Outside the allowed endpoints, plainly or by a path that only looks like an allowed one.
  for (const path of ["/admin", "/api/orders/../../admin", "/api/orders/%2e%2e/%2e%2e/admin", "/api/orders/%2E%2E/%2E%2E/admin?x=1"]) {
    const refused = await rawGet(url, path, bearer(tokens.ordersOnly));
    expect(refused.status, path).toBe(403);
    expect(refused.headers["www-authenticate"]).toMatch(/^Bearer realm="tokensmith", error="insufficient_scope"/);
    expect(refused.body.error).toBe("insufficient_scope");
  }

  // Paths the framework routes elsewhere than they look once `..` is resolved (the first ones to
  // the users route, the others to the catch-all, or on Tomcat and Spring to /api/users/1).
  for (const path of ORDERS_ONLY_ESCAPES) {
    const refused = await rawGet(url, path, bearer(tokens.ordersOnly));
    expect(refused.status, path).toBe(403);
    expect(refused.body).toEqual({ error: "insufficient_scope", message: expect.stringMatching(/^the request path /) });
  }

  // The adapter hands the framework's idea of the client address to the allowlist check.
  const here = await rawGet(url, "/admin", bearer(tokens.fromHere));
  expect(here.status).toBe(200);
  expect(here.body.caller.allowedIps).toEqual(["127.0.0.0/8", "::1"]);
  const elsewhere = await rawGet(url, "/admin", bearer(tokens.fromElsewhere));
  expect(elsewhere.status).toBe(403);
  expect(elsewhere.body).toEqual({ error: "insufficient_scope", message: "the token may not be used from 127.0.0.1" });
}
