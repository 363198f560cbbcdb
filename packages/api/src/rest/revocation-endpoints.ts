import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { requestContext, type Services } from "../context/index.js";
import { limitAddress } from "../auth/address.js";
import { isCrossSiteWrite, unsupportedBody } from "../node/browser-writes.js";
import { requestMeta } from "../node/request.js";
import { reportLeakedHandler, revokeByTextHandler } from "../routers/token/revoke-by-text.js";
import { badRequest, HttpError, readJsonObject, sendJson } from "./http.js";
import { requiredToken } from "./oauth-form.js";
import { parse, type Handler } from "./route.js";
import { leakReportRequest } from "./revocation-schemas.js";

/** POST /v1alpha/revoke (RFC 7009): `token`, and a `token_type_hint` that changes nothing (every token is an access token). */
export const oauthRevocation: Record<string, Handler> = {
  POST: async ({ ctx, form }) => {
    const token = requiredToken(form!);
    if (form!.token_type_hint !== undefined && typeof form!.token_type_hint !== "string") {
      throw badRequest("token_type_hint must be text", [{ field: "token_type_hint", message: "must be a string" }]);
    }
    await revokeByTextHandler(ctx, token);
    return [200, {}];
  },
};

export const LEAK_REPORT_PATH = "/v1alpha/credentials/revoke";
/** What one report may hold, as GitHub's credential revocation API has it. */
export const MAX_REPORTED_CREDENTIALS = 1000;
/** Reports per address (IPv6: per /64) and window: each may carry a thousand tokens to verify. */
export const LEAK_REPORT_LIMIT = { limit: 10, windowMs: 60_000 } as const;
/**
 * No answer comes sooner than this: the work differs with what was sent (a real token costs a
 * database write, an audit event and a webhook), and the time taken must not tell a stranger
 * whether a string was a live token. 300 ms did not cover that write on a loaded machine (420 ms
 * against 314 ms for nothing real, SQLite at a load average of 30 on 2 cores).
 */
export const LEAK_REPORT_FLOOR_MS = 1000;
/** A thousand tokens of ~600 characters, in JSON, with room to spare. */
const LEAK_REPORT_BODY_BYTES = 1024 * 1024;

export const LEAK_REPORT_ANSWER = { message: "Thank you. Every credential in the report that was a Tokensmith token in force is now revoked." };

/**
 * POST /v1alpha/credentials/revoke — anyone who found a leaked token reports it, without an
 * account. Answered identically (status, body, no sooner than the floor) whatever was reported.
 */
export function createLeakReportHandler(services: Services) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    if (req.method !== "POST") throw new HttpError(405, `Method ${req.method} not allowed here; use POST`, {}, { Allow: "POST" });
    if (isCrossSiteWrite(req, services.config.trustProxy)) throw new HttpError(403, "Cross-site request refused");
    const unsupported = unsupportedBody(req, ["application/json"]);
    if (unsupported) throw new HttpError(415, unsupported, {}, { Accept: "application/json" });
    const request = requestMeta(req, services.config.trustProxy);
    const now = Date.now();
    const taken = await services.attempts.take([{ key: `leak-report:${limitAddress(request.ip)}`, ...LEAK_REPORT_LIMIT }], now);
    if (!taken.ok) {
      const seconds = String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000)));
      throw new HttpError(429, `Too many reports from this address; try again in ${seconds} seconds`, {}, { "Retry-After": seconds });
    }
    const { credentials } = parse(leakReportRequest, await readJsonObject(req, { limit: LEAK_REPORT_BODY_BYTES }), "request body");
    await reportLeakedHandler(requestContext(services, request), credentials);
    const left = LEAK_REPORT_FLOOR_MS - (performance.now() - started);
    if (left > 0) await sleep(left);
    sendJson(res, 200, LEAK_REPORT_ANSWER);
  };
}
