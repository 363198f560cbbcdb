/** The Activity page's filters as they live in its URL (?action=&user=&token=). */
export interface ActivityView {
  action: string;
  user: string;
  token: string;
}

export const EVENT_LABELS: Record<string, string> = {
  "token.create": "Token created",
  "token.rotate": "Token rotated",
  "token.update": "Description changed",
  "token.revoke": "Token revoked",
  "token.reuse_detected": "Reuse detected: family revoked",
  "auth.login_success": "Signed in",
  "auth.login_failure": "Sign-in failed",
  "user.create": "User created",
  "user.delete": "User deleted",
  "user.password_reset": "Password reset",
  "user.password_change": "Own password changed",
  "user.import": "User imported from Specter",
  "token.import": "Token imported from Specter",
  "user.introspection": "Introspection changed",
  "user.rename": "Renamed (name taken in another case)",
  "key.rotate": "Signing key rotated",
  "webhook.create": "Webhook added",
  "webhook.delete": "Webhook deleted",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isTokenId = (value: string) => UUID.test(value);

export function activityViewFromParams(params: URLSearchParams): ActivityView {
  const action = params.get("action") ?? "";
  return {
    action: action in EVENT_LABELS ? action : "",
    user: (params.get("user") ?? "").slice(0, 100),
    token: (params.get("token") ?? "").trim().slice(0, 36),
  };
}

export function paramsFromActivityView(view: ActivityView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.action) params.set("action", view.action);
  if (view.user.trim()) params.set("user", view.user.trim());
  if (view.token.trim()) params.set("token", view.token.trim());
  return params;
}

/** audit.list's filters; a token that is not a whole id is not sent (the field says why). */
export function activityInput(view: ActivityView) {
  return {
    limit: 25,
    action: view.action || undefined,
    username: view.user.trim() || undefined,
    tokenId: isTokenId(view.token) ? view.token.toLowerCase() : undefined,
  };
}

/** An audit event as the API sends it (AuditView). */
export interface ActivityEvent {
  action: string;
  username: string | null;
  tokenId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

const text = (value: unknown) => (typeof value === "string" ? value : null);
const short = (id: unknown) => (typeof id === "string" ? id.slice(0, 8) : "");

/**
 * What happened, and to whom: "User deleted" + "alice" (the actor, `username`, is shown apart as
 * "by admin"). Each event's detail says who was affected; a revoke by reuse detection says which
 * token was presented, and from where.
 */
export function describeEvent(event: ActivityEvent): { label: string; affected: string | null } {
  const d = event.detail ?? {};
  const label = EVENT_LABELS[event.action] ?? event.action;
  switch (event.action) {
    case "user.create":
      return { label, affected: text(d.created) && `${d.created}${d.isAdmin ? " (administrator)" : ""}` };
    case "user.delete":
      return { label, affected: text(d.deleted) && `${d.deleted}${typeof d.tokens === "number" && d.tokens > 0 ? ` (${d.tokens} tokens revoked)` : ""}` };
    case "user.password_reset":
      return { label, affected: text(d.user) };
    case "token.revoke":
      if (d.reason === "leaked") return { label: "Token revoked: reported leaked", affected: event.ip ? `reported from ${event.ip}` : null };
      if (d.reason === "reuse_detected") return { label: "Token revoked: reuse detected", affected: `token ${short(d.trigger)} presented${event.ip ? ` from ${event.ip}` : ""}` };
      if (d.byAdmin) return { label: "Token revoked by an administrator", affected: text(d.owner) && `${d.owner}'s token` };
      return { label, affected: d.bulk ? "with others" : null };
    case "token.reuse_detected":
      return { label, affected: typeof d.revoked === "number" ? `${d.revoked} token${d.revoked === 1 ? "" : "s"} revoked` : null };
    case "token.rotate":
      return { label, affected: text(d.newTokenId) && `replaced by ${short(d.newTokenId)}` };
    case "token.update":
      return { label, affected: text(d.to) && `“${d.from}” → “${d.to}”` };
    case "webhook.create":
    case "webhook.delete":
      return { label, affected: text(d.url) };
    case "key.rotate":
      return { label, affected: text(d.kid) && `${short(d.kid)}… (${d.alg})` };
    default:
      return { label, affected: null };
  }
}

