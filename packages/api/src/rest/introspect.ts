import type { IncomingMessage } from "node:http";
import type { AuthedContext } from "../context/index.js";
import { audienceClaim, parseAddress } from "@tokensmith/core";
import { checkBearer, type BearerCheck } from "../auth/bearer.js";
import { introspectionUse } from "../auth/introspection-policy.js";
import { andThen } from "../util/maybe-promise.js";
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
  /** RFC 7662 §2.2: whom the token is meant for, as it was signed; absent when it names no one. */
  aud?: string | string[];
  /** RFC 9068 profile tokens only: their client_id (the token's id). */
  client_id?: string;
}

/**
 * `token` and `client_ip` from a form body: the first of each, as URLSearchParams reads them. A
 * body with no escapes (`%`, `+`) — a JWT and an address never need one — is split by hand: the
 * same answer at a fraction of the cost on the introspection hot path.
 */
function formFields(raw: string): { token: string | null; clientIp: string | null } {
  if (raw.includes("%") || raw.includes("+")) {
    const form = new URLSearchParams(raw);
    return { token: form.get("token"), clientIp: form.get("client_ip") };
  }
  let token: string | null = null;
  let clientIp: string | null = null;
  // URLSearchParams drops one leading "?" too.
  for (const pair of (raw.startsWith("?") ? raw.slice(1) : raw).split("&")) {
    const equals = pair.indexOf("=");
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    if (name === "token") token ??= value;
    else if (name === "client_ip") clientIp ??= value;
  }
  return { token, clientIp };
}

/**
 * `token` (and, optionally, `client_ip`: the address the token was presented from, for tokens with
 * an allowlist) from an application/x-www-form-urlencoded body (RFC 7662), or from a JSON object.
 */
function fieldsFrom(req: IncomingMessage, body: Buffer): { token: string; clientIp: string | null } {
  const raw = body.toString("utf8");
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  let token: unknown;
  let clientIp: unknown;
  if (type === "application/json") {
    try {
      const parsed = JSON.parse(raw) as { token?: unknown; client_ip?: unknown } | null;
      token = parsed?.token;
      clientIp = parsed?.client_ip;
    } catch {
      throw badRequest("Request body is not valid JSON", [{ field: "body", message: "is not valid JSON: send token as a form field or in a JSON object" }]);
    }
  } else {
    ({ token, clientIp } = formFields(raw));
  }
  if (typeof token !== "string" || token === "") {
    throw badRequest("Missing token: send token=<the token> (form-encoded, or JSON)", [{ field: "token", message: "is required" }]);
  }
  if (clientIp !== undefined && clientIp !== null && (typeof clientIp !== "string" || parseAddress(clientIp) === null)) {
    throw badRequest("client_ip is not an IP address", [{ field: "client_ip", message: "must be an IPv4 or IPv6 address" }]);
  }
  return { token, clientIp: typeof clientIp === "string" ? clientIp : null };
}

/**
 * POST /v1alpha/introspect — what a resource server asks about a token it was shown. Through the
 * same hot path as Bearer authentication (cached; a revocation counts from the very next call).
 */
export function introspect(ctx: AuthedContext, req: IncomingMessage): Promise<IntrospectionResponse | typeof INACTIVE> {
  // One continuation after the body, not a chain of async functions: this is a hot path.
  return readBody(req, BODY_LIMIT_BYTES).then((body) => {
    const { token, clientIp } = fieldsFrom(req, body);
    // Counted against the token's rate limit; outside its allowlist, or over its limit, it is inactive.
    // Another user's token is inactive too, unless the caller may introspect any token.
    return andThen(checkBearer(ctx, token, clientIp, 1, introspectionUse(ctx.caller)), (checked) => answerFor(ctx, checked));
  });
}

function answerFor(ctx: AuthedContext, checked: BearerCheck): IntrospectionResponse | typeof INACTIVE {
  if (!checked.ok) return INACTIVE;
  const { claims, record } = checked;
  // Shown to a resource server: a use of the token, as much as presenting it to Tokensmith is.
  ctx.usage.count(claims.jti, "allowed");
  return {
    active: true,
    sub: record.userId,
    username: record.username,
    jti: claims.jti,
    iat: claims.iat,
    exp: claims.exp,
    iss: claims.iss ?? ctx.site.publicUrl,
    token_type: "Bearer",
    jwt_token_endpoints: record.endpoints,
    ...(record.audience ? { aud: audienceClaim(record.audience) } : {}),
    ...(claims.client_id ? { client_id: claims.client_id } : {}),
  };
}
