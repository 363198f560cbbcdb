import { authenticatedResponses, json, schemaRef } from "./responses.js";

const noAccount = json("ErrorResponse", "No such service account, or not one the caller may act for (an administrator, or a manager an administrator named)");
const query = (name: string, description: string, schema: Record<string, unknown>) => ({ name, in: "query", required: false, description, schema });
const accountQuery = query("account", "An account's name (a person or a service account); default: the caller", { type: "string" });

/** /v1alpha/service-accounts/{name}/tokens and /v1alpha/token-policies/*. */
export function buildAccountPaths(): Record<string, unknown> {
  return {
    "/v1alpha/service-accounts/{name}/tokens": {
      parameters: [{ name: "name", in: "path", required: true, description: "The service account's name (any case)", schema: { type: "string" } }],
      get: {
        operationId: "listServiceAccountTokens",
        tags: ["Service accounts"],
        summary: "The service account's tokens still in force",
        description: "For administrators and the account's managers, with a password (HTTP Basic): a token gets 403.",
        responses: authenticatedResponses({ "200": json("ListTokensResponse", "Its tokens, newest first"), "404": noAccount }, { badRequest: true }),
      },
      post: {
        operationId: "issueServiceAccountToken",
        tags: ["Service accounts"],
        summary: "Issue a token owned by the service account; shown this once",
        description:
          "For administrators and the account's managers, with a password (HTTP Basic); a token gets 403, so a leaked token cannot mint another account's. The token is owned by the account (not a child of anything: it outlives the person who issued it); the audit event names who issued it. The account's token policy applies.",
        requestBody: { required: true, content: { "application/json": { schema: schemaRef("CreateTokenRequest") } } },
        responses: authenticatedResponses({ "201": json("CreateTokenResponse", "The token, shown only here"), "404": noAccount }, { body: true }),
      },
    },
    "/v1alpha/token-policies/effective": {
      get: {
        operationId: "getEffectivePolicy",
        tags: ["Token policies"],
        summary: "The token policy in force for the caller's new tokens (or a service account's it may issue)",
        parameters: [accountQuery],
        responses: authenticatedResponses({ "200": json("EffectivePolicy", "Each rule, and one line per rule in force"), "404": noAccount }, { badRequest: true }),
      },
    },
    "/v1alpha/token-policies/violations": {
      get: {
        operationId: "listPolicyViolations",
        tags: ["Token policies"],
        summary: "Tokens in force that break the policy now in force for their owner (administrators)",
        description: "A policy binds new tokens only; the tokens made before it changed keep working until an administrator revokes them. Paged in token-id order.",
        parameters: [
          query("account", "Only this account's tokens", { type: "string" }),
          query("limit", "At most this many (1-500, default 100)", { type: "integer", minimum: 1, maximum: 500 }),
          query("cursor", "nextCursor of the previous page", { type: "string", format: "uuid" }),
        ],
        responses: authenticatedResponses(
          { "200": json("PolicyViolations", "The tokens and the rules each breaks"), "404": json("ErrorResponse", "No account of that name") },
          { badRequest: true },
        ),
      },
    },
  };
}
