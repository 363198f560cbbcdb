import { z } from "zod";
import { tokenId } from "../routers/token/token.schema.js";

/**
 * Wire shapes of the routes other software reads — introspection (RFC 7662), the key set
 * (RFC 7517), the server metadata (RFC 8414) — for the OpenAPI document and its contract test.
 */
export const introspectionRequest = z
  .object({
    token: z.string().min(1).meta({ description: "The token a resource server was shown" }),
    client_ip: z
      .string()
      .optional()
      .meta({
        description:
          "The address the token was presented from. Tokens with an allowlist are inactive without it, or from outside it. Recorded as where the token was last used only when the caller may introspect any token; otherwise the use is recorded from an unknown address.",
      }),
  })
  .meta({ id: "IntrospectionRequest" });

export const activeIntrospection = z
  .object({
    active: z.literal(true),
    sub: z.string().meta({ description: "The user's id" }),
    username: z.string(),
    jti: tokenId,
    iat: z.int().meta({ description: "Issued at (seconds since the epoch)" }),
    exp: z.int().meta({ description: "Expires at (seconds since the epoch)" }),
    iss: z.string().meta({ description: "The issuer (PUBLIC_URL)" }),
    token_type: z.literal("Bearer"),
    jwt_token_endpoints: z.array(z.string()).nullable().meta({ description: 'Allowed "METHOD /path" patterns; null: every endpoint' }),
    aud: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .meta({ description: "The audiences the token is meant for, as signed into it (a string for one); absent when it names none" }),
    client_id: z.string().optional().meta({ description: "Tokens issued under JWT_PROFILE=rfc9068 only: their client_id, which is the token's id" }),
  })
  .meta({ id: "ActiveIntrospection" });

export const inactiveIntrospection = z
  .object({ active: z.literal(false) })
  .strict()
  .meta({ id: "InactiveIntrospection", description: "Revoked, expired, replaced, unknown, forged or not a token at all: nothing more is said" });

export const introspectionResponse = z.union([activeIntrospection, inactiveIntrospection]).meta({ id: "IntrospectionResponse" });

export const publicKey = z
  .object({
    kty: z.enum(["EC", "OKP"]),
    crv: z.enum(["P-256", "Ed25519"]),
    kid: z.string().meta({ description: "RFC 7638 thumbprint; the JWT header's kid" }),
    alg: z.enum(["ES256", "EdDSA"]),
    use: z.literal("sig"),
    x: z.string(),
    y: z.string().optional().meta({ description: "EC keys only" }),
  })
  .meta({ id: "PublicJwk" });

export const jwksResponse = z
  .object({ keys: z.array(publicKey).meta({ description: "Keys that verify live tokens, and the next key before it signs" }) })
  .meta({ id: "JwkSet" });

export const serverMetadata = z
  .object({
    issuer: z.string(),
    jwks_uri: z.string(),
    introspection_endpoint: z.string(),
    introspection_endpoint_auth_methods_supported: z.array(z.string()),
    token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
    service_documentation: z.string(),
  })
  .meta({ id: "AuthorizationServerMetadata" });
