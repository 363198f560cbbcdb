import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { createCaller } from "../root.js";
import { createTRPCContext, type Services } from "../trpc.js";
import { authHeaders, pathOf, requestMeta } from "../node/request.js";
import { HttpError, readJsonObject, sendJson } from "./http.js";
import { fromTRPCError, invalidInput, unauthorized } from "./errors.js";
import { createTokenRequest, tokenIdParam } from "./schemas.js";
import { toCreateResponse, toGetResponse, toListResponse } from "./wire.js";
import { buildOpenApiDocument } from "./openapi.js";

type Api = ReturnType<typeof createCaller>;
type Reply = [status: number, body: unknown];
type Handler = (call: { api: Api; req: IncomingMessage; id: string }) => Promise<Reply>;

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, what);
  return result.data;
}

const tokenCollection: Record<string, Handler> = {
  GET: async ({ api }) => [200, toListResponse(await api.token.list())],
  POST: async ({ api, req }) => {
    const body = parse(createTokenRequest, await readJsonObject(req), "request body");
    const created = await api.token.create({ description: body.jwt_token_description, life: body.jwt_token_life });
    return [201, toCreateResponse(created)];
  },
};

const tokenItem: Record<string, Handler> = {
  GET: async ({ api, id }) => [200, toGetResponse(await api.token.get({ id }))],
  DELETE: async ({ api, id }) => {
    await api.token.revoke({ id });
    return [200, { message: "Token deleted" }];
  },
};

/** /v1alpha/token, /v1alpha/token/{id}, with or without the trailing slash. */
function route(path: string): { handlers: Record<string, Handler>; id: string } | null {
  const segments = path.split("/").filter((s) => s !== "");
  if (segments[0] !== "v1alpha" || segments[1] !== "token" || segments.length > 3) return null;
  if (segments.length === 2) return { handlers: tokenCollection, id: "" };
  let id: string;
  try {
    id = decodeURIComponent(segments[2]!);
  } catch {
    throw new HttpError(400, "Malformed token id in the path");
  }
  return { handlers: tokenItem, id: parse(tokenIdParam, id, "token id") };
}

function respondError(res: ServerResponse, error: unknown): void {
  let http: HttpError;
  if (error instanceof HttpError) http = error;
  else if (error instanceof TRPCError) http = fromTRPCError(error);
  else http = new HttpError(500, "Internal server error");
  if (http.status >= 500) console.error("[v1alpha]", error);
  if (res.headersSent) return void res.destroy();
  sendJson(res, http.status, { message: http.message, ...http.details }, http.headers);
}

/** The v1alpha REST adapter: HTTP in, the same tRPC procedures the typed client calls, v1alpha JSON out. */
export function createV1alphaHandler(services: Services) {
  const openApi = buildOpenApiDocument();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url);
    const method = req.method ?? "GET";
    if (path === "/v1alpha/openapi.json") {
      if (method !== "GET" && method !== "HEAD") throw new HttpError(405, `Method ${method} not allowed`, {}, { Allow: "GET" });
      return sendJson(res, 200, openApi, { "Cache-Control": "public, max-age=300" });
    }
    const matched = route(path);
    if (!matched) throw new HttpError(404, `No such endpoint: ${method} ${path}`);
    const handler = matched.handlers[method];
    if (!handler) {
      const allow = Object.keys(matched.handlers).join(", ");
      throw new HttpError(405, `Method ${method} not allowed here; use ${allow}`, {}, { Allow: allow });
    }
    // REST takes Basic or Bearer only; cookies stay with the dashboard, so no CSRF path opens here.
    const ctx = await createTRPCContext({ ...services, headers: authHeaders(req, { cookies: false }), request: requestMeta(req) });
    if (!ctx.caller) throw unauthorized(ctx.authFailure);
    const [status, body] = await handler({ api: createCaller(ctx), req, id: matched.id });
    sendJson(res, status, body);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => respondError(res, error));
  };
}
