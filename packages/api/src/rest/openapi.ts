import { z } from "zod";
import {
  createTokenRequest,
  createTokenResponse,
  errorResponse,
  getTokenResponse,
  listedToken,
  listTokensResponse,
  messageResponse,
  rotateTokenRequest,
  rotateTokenResponse,
  selfResponse,
  tokenIdParam,
} from "./schemas.js";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string, description: string) => ({ description, content: { "application/json": { schema: ref(id) } } });
const errors = {
  "401": json("ErrorResponse", "Missing or invalid credentials (see WWW-Authenticate)"),
  "403": json("ErrorResponse", 'Outside the token\'s allowed endpoints (WWW-Authenticate: error="insufficient_scope"), or asking for more than the token has'),
};

/** Every wire schema with a meta id becomes a component; nested ones are referenced, not repeated. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  const all = [createTokenRequest, createTokenResponse, rotateTokenRequest, rotateTokenResponse, selfResponse];
  for (const schema of [...all, listedToken, listTokensResponse, getTokenResponse, messageResponse, errorResponse]) {
    registry.add(schema, { id: z.globalRegistry.get(schema)?.id as string });
  }
  // "input": responses document what is sent, while leaving clients free to meet extra fields.
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "input",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/** The OpenAPI 3.1 document of /v1alpha, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const idParameter = {
    name: "id",
    in: "path",
    required: true,
    schema: z.toJSONSchema(tokenIdParam, { target: "draft-2020-12" }),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Tokensmith v1alpha",
      version: "v1alpha",
      description:
        "Issue, list, inspect and revoke JWT access tokens. Every route accepts HTTP Basic (username:password) or Authorization: Bearer <jwt>.",
    },
    security: [{ bearerAuth: [] }, { basicAuth: [] }],
    paths: {
      "/v1alpha/token/": {
        get: {
          summary: "List the caller's tokens",
          responses: { "200": json("ListTokensResponse", "The caller's tokens"), ...errors },
        },
        post: {
          summary: "Create a token",
          requestBody: { required: true, content: { "application/json": { schema: ref("CreateTokenRequest") } } },
          responses: {
            "201": json("CreateTokenResponse", "The new token, shown this once"),
            "400": json("ErrorResponse", "Invalid body, description or lifetime"),
            "413": json("ErrorResponse", "Body larger than 64 KiB"),
            ...errors,
          },
        },
      },
      "/v1alpha/token/self": {
        get: {
          summary: "Describe the token that authenticates this request",
          responses: { "200": json("SelfResponse", "The token's user, id, endpoints and remaining life"), ...errors },
        },
        delete: {
          summary: "The token revokes itself",
          responses: { "200": json("MessageResponse", "Token deleted"), ...errors },
        },
      },
      "/v1alpha/token/{id}/rotate": {
        parameters: [idParameter],
        post: {
          summary: "Replace a token with a new one (same description, endpoints and lifetime)",
          requestBody: { required: false, content: { "application/json": { schema: ref("RotateTokenRequest") } } },
          responses: {
            "201": json("RotateTokenResponse", "The new token, shown this once"),
            "404": json("ErrorResponse", "No such token for this caller"),
            "409": json("ErrorResponse", "The token was already rotated"),
            ...errors,
          },
        },
      },
      "/v1alpha/token/{id}": {
        parameters: [idParameter],
        get: {
          summary: "Get one of the caller's tokens",
          responses: {
            "200": json("GetTokenResponse", "The token"),
            "400": json("ErrorResponse", "Malformed id"),
            "404": json("ErrorResponse", "No such token for this caller"),
            ...errors,
          },
        },
        delete: {
          summary: "Revoke a token; it is refused from the next request on",
          responses: {
            "200": json("MessageResponse", "Token deleted"),
            "400": json("ErrorResponse", "Malformed id"),
            "404": json("ErrorResponse", "No such token for this caller"),
            ...errors,
          },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        basicAuth: { type: "http", scheme: "basic" },
      },
    },
  };
}
