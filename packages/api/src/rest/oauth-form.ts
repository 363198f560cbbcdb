import type { IncomingMessage } from "node:http";
import type { ClientCredentials } from "../auth/client-credentials.js";
import { badRequest, HttpError } from "./http.js";

/** The fields the OAuth client endpoints (introspection, revocation) read. */
const NAMES = ["token", "client_ip", "token_type_hint", "client_id", "client_secret"] as const;
export type OAuthForm = Partial<Record<(typeof NAMES)[number], unknown>>;

/** RFC 6749's form, and JSON (ours). */
export const OAUTH_FORM_READS = ["application/x-www-form-urlencoded", "application/json"];

const isName = (name: string): name is (typeof NAMES)[number] => (NAMES as readonly string[]).includes(name);

/**
 * The first of each field, as URLSearchParams reads them. A body with no escapes (`%`, `+`) — a
 * JWT and an address never need one — is split by hand: the same answer at a fraction of the cost
 * on the introspection hot path.
 */
function formFields(raw: string): OAuthForm {
  if (raw.includes("%") || raw.includes("+")) {
    const form = new URLSearchParams(raw);
    const fields: OAuthForm = {};
    for (const name of NAMES) if (form.has(name)) fields[name] = form.get(name);
    return fields;
  }
  const fields: OAuthForm = {};
  // URLSearchParams drops one leading "?" too.
  for (const pair of (raw.startsWith("?") ? raw.slice(1) : raw).split("&")) {
    const equals = pair.indexOf("=");
    const name = equals === -1 ? pair : pair.slice(0, equals);
    if (isName(name) && !(name in fields)) fields[name] = equals === -1 ? "" : pair.slice(equals + 1);
  }
  return fields;
}

/** The body of a request to an OAuth client endpoint: an application/x-www-form-urlencoded form (RFC 6749), or a JSON object. */
export function readOAuthForm(req: IncomingMessage, body: Buffer): OAuthForm {
  const raw = body.toString("utf8");
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return formFields(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest("Request body is not valid JSON", [{ field: "body", message: "is not valid JSON: send token as a form field or in a JSON object" }]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const fields: OAuthForm = {};
  for (const name of NAMES) if (name in parsed) fields[name] = (parsed as Record<string, unknown>)[name];
  return fields;
}

/** `token`, which both endpoints require. */
export function requiredToken(form: OAuthForm): string {
  if (typeof form.token !== "string" || form.token === "") {
    throw badRequest("Missing token: send token=<the token> (form-encoded, or JSON)", [{ field: "token", message: "is required" }]);
  }
  return form.token;
}

/**
 * client_secret_post: client_id and client_secret in the body. RFC 6749 §2.3: one method per
 * request, so a body secret beside an Authorization header is refused (400 invalid_request).
 */
export function postedClient(form: OAuthForm, authorization: string | undefined): ClientCredentials | null {
  if (form.client_secret === undefined) return null;
  if (authorization !== undefined && authorization.trim() !== "") {
    throw new HttpError(400, "Send client credentials one way only: the Authorization header or client_id and client_secret in the body", {
      error: "invalid_request",
      errors: [{ field: "client_secret", message: "is not allowed with an Authorization header" }],
    });
  }
  if (typeof form.client_id !== "string" || form.client_id === "" || typeof form.client_secret !== "string") {
    throw new HttpError(400, "client_secret_post needs client_id and client_secret, both text", {
      error: "invalid_request",
      errors: [{ field: "client_id", message: "is required with client_secret" }],
    });
  }
  return { username: form.client_id, secrets: [form.client_secret] };
}
