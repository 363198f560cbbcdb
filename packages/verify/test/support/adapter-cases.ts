import { expect } from "vitest";
import { rawGet, type IssuedToken } from "./tokensmith.js";

/**
 * What every adapter must do, asked over real HTTP of an app listening at `url` whose routes
 * GET /api/orders/:id and GET /admin answer `{ caller }` with what the adapter set.
 */
export async function expectProtected(url: string, tokens: { open: IssuedToken; ordersOnly: IssuedToken }): Promise<void> {
  const bearer = (token: IssuedToken) => `Bearer ${token.jwt_token}`;

  const ok = await rawGet(url, "/api/orders/1", bearer(tokens.ordersOnly));
  expect(ok.status).toBe(200);
  expect(ok.body.caller).toEqual({
    userId: expect.any(String),
    username: "admin",
    tokenId: tokens.ordersOnly.jwt_token_id,
    endpoints: ["GET /api/orders/*"],
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
}
