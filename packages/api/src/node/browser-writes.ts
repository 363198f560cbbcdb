import type { IncomingMessage } from "node:http";
import { requestMeta } from "./request.js";

/**
 * What a request says about the page that sent it. Browsers send Origin with every cross-origin
 * write (POST included), and Sec-Fetch-Site with every request; curl, SDKs and servers send
 * neither. "Origin: null" (a sandboxed frame, a data: URL, a redirect across origins) is nobody's
 * origin of ours. Sec-Fetch-Site "none" (typed by the user) says nothing about another site.
 */
export type RequestSite = "same-origin" | "cross-site" | "unsaid";

export function requestSite(req: IncomingMessage, trustProxy: number): RequestSite {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const own = requestMeta(req, trustProxy).origin;
    return own !== undefined && origin.toLowerCase() === own ? "same-origin" : "cross-site";
  }
  const fetchSite = req.headers["sec-fetch-site"];
  if (fetchSite === "same-origin") return "same-origin";
  return fetchSite === "cross-site" || fetchSite === "same-site" ? "cross-site" : "unsaid";
}

const isWrite = (req: IncomingMessage) => req.method !== "GET" && req.method !== "HEAD";

/**
 * A write another site's page made a browser send: refused on every API (403). A browser attaches
 * cached HTTP Basic credentials (and cookies) to a form post or a no-cors fetch from any page, so
 * an Authorization header proves nothing about who composed the request. `mustProveOrigin`: the
 * write rides on a cookie (tRPC without Authorization, or signing in), so saying nothing is not
 * enough either: it needs an Origin of ours, or Sec-Fetch-Site same-origin where a browser sends
 * no Origin.
 */
export function isCrossSiteWrite(req: IncomingMessage, trustProxy: number, mustProveOrigin = false): boolean {
  if (!isWrite(req)) return false;
  const site = requestSite(req, trustProxy);
  return mustProveOrigin ? site !== "same-origin" : site === "cross-site";
}

/**
 * Why a write's body may not be read, or null. `accepts`: the media types the route reads
 * (application/json; introspection also takes its RFC 7662 form). The types a page on another site
 * may send without asking first (text/plain, multipart/form-data, a form's) are never read as JSON,
 * and a body must say what it is. Parameters are ignored but a charset other than UTF-8, which
 * would be read wrongly. A write without a body needs no Content-Type.
 */
export function unsupportedBody(req: IncomingMessage, accepts: readonly string[]): string | null {
  if (!isWrite(req)) return null;
  const header = req.headers["content-type"];
  if (header === undefined) {
    const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
    return hasBody ? `A body needs Content-Type: ${accepts.join(" or ")}` : null;
  }
  const [type, ...parameters] = header.split(";").map((part) => part.trim().toLowerCase());
  if (!accepts.includes(type!)) return `Content-Type ${JSON.stringify(type)} is not read here: send ${accepts.join(" or ")}`;
  const charset = parameters.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/^"(.*)"$/, "$1");
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") return `Send the body as UTF-8 (charset=${charset} is not read)`;
  return null;
}
