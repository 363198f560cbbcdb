import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { RequestHeaders, RequestMeta } from "../trpc.js";

/** What the context needs from a Node request, in one place for every adapter. */
export function requestMeta(req: IncomingMessage): RequestMeta {
  const forwardedProto = req.headers["x-forwarded-proto"];
  return {
    ip: req.socket.remoteAddress,
    userAgent: req.headers["user-agent"],
    secure: Boolean((req.socket as TLSSocket).encrypted) || forwardedProto === "https",
  };
}

export function authHeaders(req: IncomingMessage, opts: { cookies: boolean }): RequestHeaders {
  return { authorization: req.headers.authorization, cookie: opts.cookies ? req.headers.cookie : undefined };
}

export function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const query = raw.indexOf("?");
  return query === -1 ? raw : raw.slice(0, query);
}
