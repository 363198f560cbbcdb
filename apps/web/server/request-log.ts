import { randomUUID } from "node:crypto";
import type http from "node:http";
import { attachRecord, logRequestLine, recordOf, requestMeta, type RequestHistogram, type RequestRecord } from "@tokensmith/api";
import { isDocsPath } from "./api-docs.js";

/**
 * An X-Request-Id worth passing on: the characters request ids are made of (UUIDs, nginx's
 * $request_id, trace ids), at most 128 of them. Anything else — a newline, a quote, a space, two
 * headers joined by a comma — is not taken, and a new id is made instead.
 */
const VALID_REQUEST_ID = /^[\w.:@+=/~-]{1,128}$/;
const MAX_USER_AGENT = 256;

const V1ALPHA_GROUPS = new Set(["token", "introspect", "forward-auth", "revocations", "webhooks", "openapi.json"]);

/**
 * A bounded name for the kind of path — the route label of metrics and the route of the log —
 * never the path itself (ids, tokens someone pasted into a URL, and every path an attacker invents
 * would each make a series of their own).
 */
export function routeGroup(path: string): string {
  if (path.startsWith("/v1alpha/")) {
    const end = path.indexOf("/", 9);
    const second = end === -1 ? path.slice(9) : path.slice(9, end);
    return V1ALPHA_GROUPS.has(second) ? `v1alpha.${second === "openapi.json" ? "openapi" : second}` : "v1alpha.other";
  }
  if (path.startsWith("/api/")) {
    if (path.startsWith("/api/trpc/")) return "trpc";
    if (path.startsWith("/api/healthz/")) return "health";
    if (path === "/api/v1alpha" || path.startsWith("/api/v1alpha/")) return "specter.v1alpha";
    return "api.other";
  }
  if (path.startsWith("/healthz/")) return "health";
  if (path.startsWith("/.well-known/")) return "well-known";
  if (path.startsWith("/_next/static/") || path === "/favicon.ico") return "asset";
  if (isDocsPath(path)) return "docs";
  if (path === "/v1alpha") return "v1alpha.other";
  return "dashboard";
}

export interface RequestTracker {
  /** Gives the request its id (set on the response as X-Request-Id) and its record; logs it when it ends. */
  begin(req: http.IncomingMessage, res: http.ServerResponse): RequestRecord;
  /** Responses not finished yet (shutdown ends the event streams among them). */
  readonly inFlight: ReadonlySet<http.ServerResponse>;
  /** Shutting down: every answer from now on closes its connection. */
  stopping: boolean;
}

/**
 * One JSON line per request (method, route group, status, duration, request id, user and token
 * ids once known, client address, user agent) — never a path, a query string, a header value that
 * could hold a credential, or a body. Health probes log at debug level. With `histogram`, the
 * request's latency is counted by route group and status too.
 */
export function createRequestTracker({ trustProxy, histogram }: { trustProxy: number; histogram: RequestHistogram | null }): RequestTracker {
  const inFlight = new Set<http.ServerResponse>();

  function requestIdOf(req: http.IncomingMessage): string {
    if (trustProxy > 0) {
      const sent = req.headers["x-request-id"];
      if (typeof sent === "string" && VALID_REQUEST_ID.test(sent)) return sent;
    }
    return randomUUID();
  }

  // One function for every response (no closure per request): `this` is the response.
  function ended(this: http.ServerResponse): void {
    inFlight.delete(this);
    const req = this.req;
    const record = recordOf(req)!;
    const ms = performance.now() - record.started;
    // 499, as nginx logs it: the client went away before an answer was sent.
    const status = this.headersSent ? this.statusCode : 499;
    histogram?.observe(record.group, status, ms / 1000);
    const level = record.group === "health" && status < 500 ? "debug" : "info";
    const agent = req.headers["user-agent"];
    logRequestLine(level, {
      method: req.method,
      route: record.group,
      status,
      duration_ms: Math.round(ms * 1000) / 1000,
      request_id: record.id,
      user_id: record.userId,
      token_id: record.tokenId,
      ip: requestMeta(req, trustProxy).ip,
      user_agent: agent !== undefined && agent.length > MAX_USER_AGENT ? agent.slice(0, MAX_USER_AGENT) : agent,
    });
  }

  return {
    inFlight,
    stopping: false,
    begin(req, res) {
      if (this.stopping) res.setHeader("Connection", "close");
      const record: RequestRecord = { id: requestIdOf(req), group: "invalid", started: performance.now(), userId: undefined, tokenId: undefined };
      attachRecord(req, record);
      res.setHeader("X-Request-Id", record.id);
      inFlight.add(res);
      res.on("close", ended);
      return record;
    },
  };
}
