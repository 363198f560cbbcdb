import type { Services } from "../context/index.js";
import { andThen } from "../util/maybe-promise.js";
import { createTokenHandler } from "../routers/token/create.handler.js";
import { getTokenHandler } from "../routers/token/get.handler.js";
import { listTokensHandler } from "../routers/token/list.handler.js";
import { revokeTokenHandler } from "../routers/token/revoke.handler.js";
import { rotateTokenHandler } from "../routers/token/rotate.handler.js";
import { revokeSelfHandler, selfHandler } from "../routers/token/self.handler.js";
import { badRequest, HttpError, readJsonObject, sendJson } from "./http.js";
import { createTokenRequest, rotateTokenRequest, tokenIdParam, updateTokenRequest } from "./schemas.js";
import { fromCreateRequest, toCreateResponse, toGetResponse, toListResponse, toRotateResponse, toPauseResponse, toSelfResponse, toUpdateResponse, toUsageResponse } from "./wire.js";
import { updateTokenHandler } from "../routers/token/update.handler.js";
import { pauseTokenHandler, resumeTokenHandler } from "../routers/token/pause.handler.js";
import { tokenUsageHandler } from "../routers/token/detail.handler.js";
import { buildOpenApiDocument } from "./openapi/document.js";
import { introspect } from "./introspect.js";
import { createForwardAuthHandler, FORWARD_AUTH_PATH } from "./forward-auth.js";
import { createRevocationStream, REVOCATIONS_PATH } from "./revocation-stream.js";
import { parse, type Handler, type Reply, type Route } from "./route.js";
import { webhookRoute } from "./webhooks.js";
import { serviceAccountRoute } from "./service-accounts.js";
import { tokenPolicyRoute } from "./token-policies.js";

import { createMountHandler, NOT_DIRECT } from "./dispatch.js";
import { OAUTH_FORM_READS } from "./oauth-form.js";
import { createLeakReportHandler, LEAK_REPORT_PATH, oauthRevocation } from "./revocation-endpoints.js";

const tokenCollection: Record<string, Handler> = {
  GET: async ({ ctx }) => [200, toListResponse(await listTokensHandler(ctx))],
  POST: async ({ ctx, req }) => {
    const body = parse(createTokenRequest, await readJsonObject(req), "request body");
    const created = await createTokenHandler(ctx, fromCreateRequest(body));
    return [201, toCreateResponse(created)];
  },
};

const tokenItem: Record<string, Handler> = {
  // Synchronous when the row is cached (see checkBearer): no await between the request and its answer.
  GET: ({ ctx, id }) => andThen(getTokenHandler(ctx, { id }), (view): Reply => [200, toGetResponse(view)]),
  PATCH: async ({ ctx, req, id }) => {
    const body = parse(updateTokenRequest, await readJsonObject(req), "request body");
    return [200, toUpdateResponse(await updateTokenHandler(ctx, { id, description: body.jwt_token_description }))];
  },
  DELETE: async ({ ctx, id }) => {
    await revokeTokenHandler(ctx, { id });
    return [200, { message: "Token deleted" }];
  },
};

const tokenSelf: Record<string, Handler> = {
  GET: ({ ctx }) => [200, toSelfResponse(selfHandler(ctx))],
  DELETE: async ({ ctx }) => {
    await revokeSelfHandler(ctx);
    return [200, { message: "Token deleted" }];
  },
};

const tokenRotate: Record<string, Handler> = {
  POST: async ({ ctx, req, id }) => {
    const body = parse(rotateTokenRequest, await readJsonObject(req, { optional: true }), "request body");
    const input = {
      id,
      overlap: body.overlap,
      rateLimit: body.jwt_token_rate_limit,
      allowedIps: body.jwt_token_allowed_ips,
      audience: body.jwt_token_audience,
      dpopJkt: body.jwt_token_dpop_jkt,
    };
    return [201, toRotateResponse(await rotateTokenHandler(ctx, input))];
  },
};

function tokenIdFrom(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw badRequest("Malformed token id in the path", [{ field: "id", message: "is not valid percent-encoding" }]);
  }
  return parse(tokenIdParam, id, "id");
}

/** POST /{id}/pause and /{id}/resume: the token as GET returns it, with what happened. */
const pauseRoute = (change: "pause" | "resume"): Record<string, Handler> => ({
  POST: async ({ ctx, id }) => {
    const view = await (change === "pause" ? pauseTokenHandler : resumeTokenHandler)(ctx, { id });
    return [200, toPauseResponse(view, change)];
  },
});
const tokenSubroutes: Record<string, Record<string, Handler>> = { rotate: tokenRotate, pause: pauseRoute("pause"), resume: pauseRoute("resume") };

const tokenUsage: Record<string, Handler> = {
  GET: async ({ ctx, id }) => [200, toUsageResponse(id, await tokenUsageHandler(ctx, { id }))],
};

const introspection: Record<string, Handler> = {
  POST: ({ ctx, form }) => andThen(introspect(ctx, form!), (body): Reply => [200, body]),
};

/** /v1alpha/token/, /self, /{id}, /{id}/rotate, /{id}/pause, /{id}/resume, /{id}/usage, /v1alpha/introspect, /v1alpha/revoke — with or without the trailing slash. */
function route(path: string): Route | null {
  const segments = path.split("/").filter((s) => s !== "");
  if (segments[0] === "v1alpha" && segments[1] === "webhooks") return webhookRoute(segments);
  if (segments[0] === "v1alpha" && segments[1] === "service-accounts") return serviceAccountRoute(segments);
  if (segments[0] === "v1alpha" && segments[1] === "token-policies") return tokenPolicyRoute(segments);
  if (segments[0] === "v1alpha" && segments[1] === "introspect" && segments.length === 2) {
    return { handlers: introspection, id: "", canonical: "/v1alpha/introspect", reads: OAUTH_FORM_READS, oauthClient: true };
  }
  if (segments[0] === "v1alpha" && segments[1] === "revoke" && segments.length === 2) {
    return { handlers: oauthRevocation, id: "", canonical: "/v1alpha/revoke", reads: OAUTH_FORM_READS, oauthClient: true };
  }
  if (segments[0] !== "v1alpha" || segments[1] !== "token" || segments.length > 4) return null;
  if (segments.length === 2) return { handlers: tokenCollection, id: "", canonical: "/v1alpha/token/" };
  if (segments[2] === "self" && segments.length === 3) return { handlers: tokenSelf, id: "", canonical: "/v1alpha/token/self" };
  const sub = segments[3];
  if (sub !== undefined && !Object.hasOwn(tokenSubroutes, sub) && sub !== "usage") return null;
  const id = tokenIdFrom(segments[2]!);
  if (sub === undefined) return { handlers: tokenItem, id, canonical: `/v1alpha/token/${id}` };
  return { handlers: sub === "usage" ? tokenUsage : tokenSubroutes[sub]!, id, canonical: `/v1alpha/token/${id}/${sub}` };
}

/** The v1alpha REST adapter: HTTP in, the same handlers the typed client reaches through tRPC, v1alpha JSON out. */
export function createV1alphaHandler(services: Services) {
  // Built on first use: the public URL may be known only once the server listens.
  let openApi: { url: string; document: Record<string, unknown> } | undefined;
  const openApiDocument = () => {
    if (openApi?.url !== services.site.publicUrl) openApi = { url: services.site.publicUrl, document: buildOpenApiDocument(services.site.publicUrl) };
    return openApi.document;
  };

  const forwardAuth = createForwardAuthHandler(services);
  const leakReport = createLeakReportHandler(services);
  const revocationStream = createRevocationStream(services.revocations, { keyDigests: services.config.feed.keyDigests, trustProxy: services.config.trustProxy });

  return createMountHandler(services, {
    name: "v1alpha",
    route,
    direct(req, res, path, method) {
      if (path === "/v1alpha/openapi.json") {
        if (method !== "GET" && method !== "HEAD") throw new HttpError(405, `Method ${method} not allowed`, {}, { Allow: "GET, HEAD" });
        return sendJson(res, 200, openApiDocument(), { "Cache-Control": "public, max-age=300" });
      }
      // The proxy's sub-request: any method, and the token is checked against the original request.
      if (path === FORWARD_AUTH_PATH || path === `${FORWARD_AUTH_PATH}/`) return forwardAuth(req, res);
      // Anyone who found a leaked token: no credentials but the token itself.
      if (path === LEAK_REPORT_PATH || path === `${LEAK_REPORT_PATH}/`) return leakReport(req, res);
      // Offline verifiers follow it with a feed key, not a user's credentials.
      if (path === REVOCATIONS_PATH || path === `${REVOCATIONS_PATH}/`) return revocationStream(req, res);
      return NOT_DIRECT;
    },
  });
}
