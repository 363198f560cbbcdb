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
    client_id: z.string().optional().meta({ description: "client_secret_post: the user's name" }),
    client_secret: z.string().optional().meta({ description: "client_secret_post: the user's password" }),
  })
  .meta({ id: "IntrospectionRequest" });

export const activeIntrospection = z
  .object({
    active: z.literal(true),
    sub: z.string().meta({ description: "The user's id" }),
    username: z.string(),
    account_type: z.enum(["person", "service"]).meta({ description: '"service" when the token is a service account\'s' }),
    jti: tokenId,
    iat: z.int().meta({ description: "Issued at (seconds since the epoch)" }),
    exp: z.int().meta({ description: "Expires at (seconds since the epoch)" }),
    iss: z.string().meta({ description: "The issuer (PUBLIC_URL)" }),
    token_type: z.enum(["Bearer", "DPoP"]).meta({ description: '"DPoP" for a DPoP-bound token (RFC 9449 §6.2): then `cnf` names its key' }),
    cnf: z
      .object({ jkt: z.string().meta({ description: "The RFC 7638 SHA-256 thumbprint of the key" }) })
      .optional()
      .meta({
        description:
          "DPoP-bound tokens only (RFC 9449 §6.2): the key every use must prove. Introspection does not see the client's proof: the resource server checks it and that its key has this thumbprint",
      }),
    jwt_token_endpoints: z.array(z.string()).nullable().meta({ description: 'Allowed "METHOD /path" patterns; null: every endpoint' }),
    jwt_token_max_uses: z.int().min(1).optional().meta({ description: "Use-limited tokens only: allowed uses in all" }),
    uses_remaining: z.int().min(0).optional().meta({ description: "Use-limited tokens only: uses left after this introspection, which spent one" }),
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

const clientAuthMethods = z
  .array(z.enum(["client_secret_basic", "client_secret_post"]))
  .meta({ description: "RFC 6749 §2.3.1 client authentication: the client id is a user's name, the secret its password. Bearer (a token allowed the endpoint) also works, as Tokensmith's own extension, and is not listed." });

export const serverMetadata = z
  .object({
    issuer: z.string().meta({ description: "PUBLIC_URL" }),
    jwks_uri: z.string(),
    response_types_supported: z.array(z.string()).max(0).meta({ description: "Empty: no OAuth grant is served (tokens are made through the API)" }),
    grant_types_supported: z.array(z.string()).max(0).meta({ description: "Empty, for the same reason" }),
    introspection_endpoint: z.string(),
    introspection_endpoint_auth_methods_supported: clientAuthMethods,
    revocation_endpoint: z.string(),
    revocation_endpoint_auth_methods_supported: clientAuthMethods,
    service_documentation: z.string(),
  })
  .strict()
  .meta({ id: "AuthorizationServerMetadata", description: "RFC 8414 metadata, also served at /.well-known/openid-configuration; no OpenID Connect fields" });
