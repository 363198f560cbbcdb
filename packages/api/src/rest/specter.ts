import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import type { Services } from "../context/index.js";
import { andThen, type MaybePromise } from "../util/maybe-promise.js";
import { createTokenHandler } from "../routers/token/create.handler.js";
import { getTokenHandler } from "../routers/token/get.handler.js";
import { listTokensHandler } from "../routers/token/list.handler.js";
import { revokeTokenHandler } from "../routers/token/revoke.handler.js";
import type { TokenView } from "../routers/token/token.schema.js";
import { createMountHandler } from "./dispatch.js";
import { HttpError, readBody, readJsonObject } from "./http.js";
import { PyFloat, pythonJson } from "./python-json.js";
import { createTokenRequest, tokenIdParam } from "./schemas.js";
import { parse, type Handler, type Reply, type Route } from "./route.js";

/** Specter's two arguments, checked by the same field rules as /v1alpha's. */
const specterCreateRequest = createTokenRequest.pick({ jwt_token_description: true, jwt_token_life: true });

/**
 * Specter Desktop's token API where Specter mounts it (/api/v1alpha/token/…), answering as its
 * code does (src/cryptoadvance/specter/api/rest/resource_jwt.py): its messages, its field names,
 * its JSON. The same handlers as /v1alpha behind it; only the wire differs, here. Where Specter
 * answers 500 (an unknown id, a method it does not serve) this answers 404 or 405 in its shape.
 */
export const SPECTER_PREFIX = "/api/v1alpha/";

/** Werkzeug's words for the errors Specter lets Flask-RESTful answer. */
const WERKZEUG = {
  401: "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.",
  404: "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
  405: "The method is not allowed for the requested URL.",
} as const;

const NO_SUCH_TOKEN: Reply = [404, { message: "Token does not exist, make sure to enter correct token id" }];

/** Remaining life as Specter computes it: a float while the token lives, the integer 0 after. */
const remaining = (token: TokenView) => (token.remainingSeconds > 0 ? new PyFloat(token.remainingSeconds) : 0);

/**
 * Specter's reqparse arguments (type=str, required): from a JSON body, or a form body, or the
 * query string. A missing one is Specter's 400, `{"message": {"<name>": "<help>"}}`.
 */
async function specterArguments(req: IncomingMessage): Promise<Reply | { description: unknown; life: unknown }> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const query = new URLSearchParams(req.url?.split("?")[1] ?? "");
  let body: Record<string, unknown> = {};
  if (type === "application/json" || /^application\/[^/]+\+json$/.test(type)) body = await readJsonObject(req);
  else if (type === "application/x-www-form-urlencoded") body = Object.fromEntries(new URLSearchParams((await readBody(req)).toString("utf8")));
  const argument = (name: string) => {
    const value = name in body ? body[name] : (query.get(name) ?? undefined);
    // type=str: Python's str() of a JSON number is its decimal text.
    return typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  };
  const description = argument("jwt_token_description");
  if (description === undefined) return [400, { message: { jwt_token_description: "JWT token description" } }];
  const life = argument("jwt_token_life");
  if (life === undefined) return [400, { message: { jwt_token_life: "JWT token life" } }];
  return { description, life };
}

const BLANK_OR_TAKEN: Reply = [400, { message: "Token description already exists or is blank" }];

const collection: Record<string, Handler> = {
  GET: async ({ ctx }) => {
    // Oldest first, as Specter's dict keeps them.
    const tokens = (await listTokensHandler(ctx)).reverse();
    if (tokens.length === 0) return [404, { message: "Tokens does not exist" }];
    const jwt_tokens = Object.fromEntries(
      tokens.map((t) => [t.id, { jwt_token_description: t.description, jwt_token_life: t.lifeSeconds, jwt_token_remaining_life: remaining(t) }]),
    );
    return [200, { message: "Tokens exist", jwt_tokens }];
  },
  POST: async ({ ctx, req }) => {
    const args = await specterArguments(req);
    if (Array.isArray(args)) return args;
    // Specter refuses a blank description, or one the user's tokens already have.
    if (typeof args.description === "string" && args.description.trim() === "") return BLANK_OR_TAKEN;
    const body = parse(specterCreateRequest, { jwt_token_description: args.description, jwt_token_life: args.life }, "request body");
    if ((await listTokensHandler(ctx)).some((t) => t.description === body.jwt_token_description)) return BLANK_OR_TAKEN;
    const created = await createTokenHandler(ctx, { description: body.jwt_token_description, life: body.jwt_token_life });
    return [
      201,
      {
        message: "Token generated",
        jwt_token_id: created.id,
        jwt_token: created.token,
        jwt_token_description: created.description,
        jwt_token_life: created.lifeSeconds,
      },
    ];
  },
};

/** A token id that is no UUID (routed as "") names no token: 404, after authentication, without a query. */
const ifToken = (id: string, work: () => MaybePromise<Reply>): MaybePromise<Reply> => {
  if (id === "") return NO_SUCH_TOKEN;
  const notFound = (error: unknown): Reply => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return NO_SUCH_TOKEN;
    throw error;
  };
  try {
    const reply = work();
    return reply instanceof Promise ? reply.catch(notFound) : reply;
  } catch (error) {
    return notFound(error);
  }
};

const item: Record<string, Handler> = {
  GET: ({ ctx, id }) =>
    ifToken(id, () =>
      andThen(getTokenHandler(ctx, { id }), (t): Reply => [
        200,
        {
          message: "Token exists",
          jwt_token_description: t.description,
          jwt_token_life: t.lifeSeconds,
          jwt_token_life_remaining: remaining(t),
          expiry_status: t.status,
        },
      ]),
    ),
  DELETE: ({ ctx, id }) => ifToken(id, () => revokeTokenHandler(ctx, { id }).then((): Reply => [200, { message: "Token deleted" }])),
};

/** /api/v1alpha/token/ and /api/v1alpha/token/<id>/ — with or without the trailing slash. */
function route(path: string): Route | null {
  const segments = path.split("/").filter((s) => s !== "");
  if (segments[0] !== "api" || segments[1] !== "v1alpha" || segments[2] !== "token" || segments.length > 4) return null;
  if (segments.length === 3) return { handlers: collection, id: "", canonical: "/api/v1alpha/token/" };
  let id: string;
  try {
    id = decodeURIComponent(segments[3]!);
  } catch {
    id = "";
  }
  const valid = tokenIdParam.safeParse(id).success;
  return { handlers: item, id: valid ? id : "", canonical: `/api/v1alpha/token/${valid ? id : segments[3]}` };
}

/** Errors with Werkzeug's words where Specter has them; ours (429, 403, 503, 400) otherwise. */
function present(error: HttpError): HttpError {
  if (error.status === 401 || error.status === 404 || error.status === 405) {
    return new HttpError(error.status, WERKZEUG[error.status], {}, error.headers);
  }
  return error;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = pythonJson(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(payload);
}

export function createSpecterHandler(services: Services): (req: IncomingMessage, res: ServerResponse) => void {
  return createMountHandler(services, { name: "specter", route, present, send, methodAfterAuth: true });
}
