import { z } from "zod";
import * as wire from "../schemas.js";
import * as discovery from "../discovery-schemas.js";
import * as webhooks from "../webhook-schemas.js";
import * as accounts from "../account-schemas.js";
import { buildAccountPaths } from "./account-paths.js";
import { buildPaths } from "./paths.js";
import { buildOAuthPaths } from "./oauth-paths.js";
import * as revocation from "../revocation-schemas.js";
import { buildWebhookPaths, webhookEventsDocument } from "./webhook-paths.js";
import { headers, responses } from "./responses.js";
import { withExamples } from "./examples.js";

const SCHEMAS = [
  wire.createTokenRequest,
  wire.createTokenResponse,
  wire.rotateTokenRequest,
  wire.rotateTokenResponse,
  wire.selfResponse,
  wire.listedToken,
  wire.listTokensResponse,
  wire.getTokenResponse,
  wire.updateTokenRequest,
  wire.updateTokenResponse,
  wire.pauseTokenResponse,
  wire.rateLimitOut,
  wire.usageBucket,
  wire.usageResponse,
  wire.messageResponse,
  wire.errorResponse,
  wire.badRequestResponse,
  discovery.introspectionRequest,
  discovery.activeIntrospection,
  discovery.inactiveIntrospection,
  discovery.introspectionResponse,
  discovery.publicKey,
  discovery.jwksResponse,
  discovery.serverMetadata,
  revocation.oauthRevocationRequest,
  revocation.emptyResponse,
  revocation.leakReportRequest,
  revocation.leakReportResponse,
  webhooks.createWebhookRequest,
  webhooks.webhookResponse,
  webhooks.createWebhookResponse,
  webhooks.listWebhooksResponse,
  webhooks.webhookAttempt,
  webhooks.webhookDelivery,
  webhooks.webhookDeliveriesResponse,
  webhooks.webhookDeliveryDetail,
  webhooks.webhookRedeliverResponse,
  webhooks.webhookTestResponse,
  webhooks.webhookEventPayload,
  accounts.effectivePolicyResponse,
  accounts.policyViolationsResponse,
];

/** Every wire schema with a meta id becomes a component; nested ones are referenced, not repeated. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const schema of SCHEMAS) registry.add(schema, { id: z.globalRegistry.get(schema)?.id as string });
  // "input": responses document what is sent, while leaving clients free to meet extra fields.
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io: "input", uri: (id) => `#/components/schemas/${id}` });
  return withExamples(Object.fromEntries(
    Object.entries(schemas)
      .map(([id, schema]) => {
        const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
        return [id, rest] as const;
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  ));
}

/**
 * The OpenAPI 3.1 document of everything Tokensmith serves outside the dashboard and tRPC,
 * generated from the same zod schemas that validate requests. `publicUrl` becomes its server.
 */
export function buildOpenApiDocument(publicUrl: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Tokensmith API",
      version: "v1alpha",
      description:
        "Issue, list, inspect and revoke JWT access tokens, and verify them from other services. Token routes accept HTTP Basic (username:password) or `Authorization: Bearer <jwt>`; every 400 names the wrong fields in `errors`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: publicUrl, description: "This Tokensmith (PUBLIC_URL)" }],
    tags: [
      { name: "Tokens", description: "Create, list, inspect, rotate and revoke tokens" },
      { name: "Service accounts", description: "Non-human accounts: they never sign in; administrators and their managers issue their tokens" },
      { name: "Token policies", description: "Administrators' rules for new tokens, server-wide and per account" },
      { name: "Webhooks", description: "Signed events (Standard Webhooks) about tokens, POSTed to your endpoints" },
      { name: "Verification", description: "For the services tokens are shown to: keys, introspection, forward auth, revocations" },
      { name: "Documentation", description: "This document" },
    ],
    security: [{ bearerAuth: [] }, { basicAuth: [] }],
    paths: {
      ...buildPaths(z.toJSONSchema(wire.tokenIdParam, { target: "draft-2020-12" })),
      ...buildOAuthPaths(),
      ...buildWebhookPaths(z.toJSONSchema(webhooks.webhookIdParam, { target: "draft-2020-12" })),
      ...buildAccountPaths(),
    },
    webhooks: webhookEventsDocument(),
    components: {
      schemas: componentSchemas(),
      responses,
      headers,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        basicAuth: { type: "http", scheme: "basic" },
        feedKey: { type: "http", scheme: "bearer", description: "A revocation feed key: one of the server's REVOCATION_FEED_KEYS (not a user's token)" },
      },
    },
  };
}
