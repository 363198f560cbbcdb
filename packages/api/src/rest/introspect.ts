import type { IncomingMessage } from "node:http";
import type { AuthedContext } from "../context/index.js";
import { checkBearer } from "../auth/bearer.js";
import { badRequest, BODY_LIMIT_BYTES, readBody } from "./http.js";

/** RFC 7662: anything not in force — revoked, expired, unknown, forged, garbage — is exactly this. */
const INACTIVE = { active: false } as const;

export interface IntrospectionResponse {
  active: true;
  sub: string;
  username: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  token_type: "Bearer";
  jwt_token_endpoints: string[] | null;
}

/** `token` from an application/x-www-form-urlencoded body (RFC 7662), or from a JSON object. */
async function tokenFrom(req: IncomingMessage): Promise<string> {
  const raw = (await readBody(req, BODY_LIMIT_BYTES)).toString("utf8");
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  let token: unknown;
  if (type === "application/json") {
    try {
      token = (JSON.parse(raw) as { token?: unknown } | null)?.token;
    } catch {
      throw badRequest("Request body is not valid JSON", [{ field: "body", message: "is not valid JSON: send token as a form field or in a JSON object" }]);
    }
  } else {
    token = new URLSearchParams(raw).get("token");
  }
  if (typeof token !== "string" || token === "") {
    throw badRequest("Missing token: send token=<the token> (form-encoded, or JSON)", [{ field: "token", message: "is required" }]);
  }
  return token;
}

/**
 * POST /v1alpha/introspect — what a resource server asks about a token it was shown. Through the
 * same hot path as Bearer authentication (cached; a revocation counts from the very next call).
 */
export async function introspect(ctx: AuthedContext, req: IncomingMessage): Promise<IntrospectionResponse | typeof INACTIVE> {
  const token = await tokenFrom(req);
  const checked = await checkBearer(ctx, token);
  if (!checked.ok) return INACTIVE;
  const { claims, record } = checked;
  // Shown to a resource server: a use of the token, as much as presenting it to Tokensmith is.
  ctx.usage.count(claims.jti, "allowed");
  return {
    active: true,
    sub: claims.sub,
    username: record.username,
    jti: claims.jti,
    iat: claims.iat,
    exp: claims.exp,
    iss: claims.iss ?? ctx.site.publicUrl,
    token_type: "Bearer",
    jwt_token_endpoints: record.endpoints,
  };
}
