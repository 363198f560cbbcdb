import { endpointAllowed, endpointMatches } from "@tokensmith/core/endpoints";

/** What the new-token dialog offers to paste into a terminal, and what the answer means. */
export interface TryItCommand {
  command: string;
  hint: string;
  /** False: the token may not call Tokensmith's own /v1alpha/token/self. */
  callsSelf: boolean;
}

export type ForwardAuthHeaderSet = "original" | "forwarded";

const SELF = "/v1alpha/token/self";
const HEADER_NAMES: Record<ForwardAuthHeaderSet, [method: string, uri: string]> = {
  original: ["X-Original-Method", "X-Original-URI"],
  forwarded: ["X-Forwarded-Method", "X-Forwarded-Uri"],
};

/**
 * The token's allowed endpoints, read from its own `jwt_token_endpoints` claim (null: all). Only
 * for choosing what to show: the server checks the signature and the claim on every request.
 */
export function endpointsOfToken(token: string): string[] | null {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/")) || "{}";
    const claim = (JSON.parse(json) as { jwt_token_endpoints?: unknown }).jwt_token_endpoints;
    return Array.isArray(claim) && claim.every((item) => typeof item === "string") ? claim : null;
  } catch {
    return null;
  }
}

/** A request one of the patterns allows: each `*` filled in, the method `*` read as GET. */
function exampleRequest(pattern: string): { method: string; path: string } {
  const [rawMethod = "GET", rawPath = "/"] = pattern.split(" ");
  const method = rawMethod === "*" ? "GET" : rawMethod;
  for (const fill of ["1", "example", ""]) {
    const path = rawPath.replace(/\*+/g, fill) || "/";
    if (endpointMatches(pattern, method, path)) return { method, path };
  }
  return { method, path: rawPath };
}

/** A shell word in single quotes (a path can hold `$`, `&` or spaces). */
const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The proof a new token works. A token allowed Tokensmith's own /self asks it; any other asks
 * forward auth about one of its own endpoints, with the header set the server trusts, as the
 * user's proxy would: /self would refuse it (403) and count a refusal in its usage.
 */
export function tryItCommand(token: string, origin: string, headerSet: ForwardAuthHeaderSet): TryItCommand {
  const endpoints = endpointsOfToken(token);
  if (endpointAllowed(endpoints, "GET", SELF)) {
    return {
      command: `curl -H "Authorization: Bearer ${token}" ${origin}${SELF}`,
      hint: "Answers with the token's user, id, endpoints and time left: proof it works.",
      callsSelf: true,
    };
  }
  const { method, path } = exampleRequest(endpoints?.[0] ?? "GET /");
  const [methodHeader, uriHeader] = HEADER_NAMES[headerSet];
  return {
    command: `curl -s -o /dev/null -w "%{http_code}\\n" -H "Authorization: Bearer ${token}" -H "${methodHeader}: ${method}" -H ${quoted(`${uriHeader}: ${path}`)} ${origin}/v1alpha/forward-auth`,
    hint: `This token may call only its own endpoints, not Tokensmith's API. The command asks forward auth, as your proxy would, whether it may call ${method} ${path}: 200 means yes.`,
    callsSelf: false,
  };
}
