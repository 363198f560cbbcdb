import { readJsonObject } from "./http.js";
import { idFrom, parse, type Handler, type Route } from "./route.js";
import { createTokenRequest } from "./schemas.js";
import { fromCreateRequest, toCreateResponse, toListResponse } from "./wire.js";
import { accountName } from "../routers/service-account/service-account.schema.js";
import { issueServiceToken, serviceTokens } from "../routers/service-account/handlers.js";

/** A service account's tokens: the same handlers as tRPC's serviceAccount.tokens and .issueToken. */
const tokens: Record<string, Handler> = {
  GET: async ({ ctx, id }) => [200, toListResponse(await serviceTokens(ctx, { name: id }))],
  POST: async ({ ctx, req, id }) => {
    const body = parse(createTokenRequest, await readJsonObject(req), "request body");
    return [201, toCreateResponse(await issueServiceToken(ctx, { name: id, ...fromCreateRequest(body) }))];
  },
};

/** /v1alpha/service-accounts/{name}/tokens (segments already split, starting "v1alpha", "service-accounts"). */
export function serviceAccountRoute(segments: string[]): Route | null {
  if (segments.length !== 4 || segments[3] !== "tokens") return null;
  const name = idFrom(segments[2]!, accountName);
  return { handlers: tokens, id: name, canonical: `/v1alpha/service-accounts/${name}/tokens` };
}
